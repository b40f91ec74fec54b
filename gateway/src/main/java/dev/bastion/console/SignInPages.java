package dev.bastion.console;

import java.util.Map;

/** The pages around signing in: the sign-in form, the hand-over page after sign-in, the sealed notice. */
final class SignInPages {
    private static final String HEADER = "<header class=\"top\"><span class=\"brand\">Bastion</span></header>";

    private SignInPages() {}

    static String login(String formToken, String issuer, String error) {
        StringBuilder m = new StringBuilder("<h1>Sign in to the Bastion console</h1>");
        if (error != null) m.append("<p class=\"problem\" id=\"signin-error\" role=\"alert\">").append(Html.esc(error)).append("</p>");
        if (issuer != null) {
            m.append("<section aria-labelledby=\"oidc-h\"><h2 id=\"oidc-h\">With your organisation's account</h2>")
                    .append("<p><a class=\"button\" id=\"oidc-signin\" href=\"/console/login/oidc\">Sign in with ")
                    .append(Html.esc(issuer)).append("</a></p></section>");
        }
        m.append("<section aria-labelledby=\"key-h\"><h2 id=\"key-h\">With an API key</h2>")
                .append("<form method=\"post\" action=\"/console/login/key\" class=\"filters\">")
                .append("<input type=\"hidden\" name=\"flow\" value=\"").append(Html.esc(formToken)).append("\">")
                .append("<div><label for=\"api-key\">API key</label>")
                .append("<input id=\"api-key\" name=\"key\" type=\"password\" autocomplete=\"off\" required></div>")
                .append("<div class=\"buttons\"><button type=\"submit\" id=\"key-signin\">Sign in</button></div></form>")
                .append("<p class=\"hint\">The key stays on the server for this session only; every page and action is ")
                .append("decided by the same policy as the API.</p></section>");
        return Html.page("Sign in", "login", null, Map.of(), HEADER, m.toString());
    }

    /** After sign-in: the browser moves on by itself (no script needed). */
    static String signedIn() {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
                + "content=\"0;url=/console/\"><title>Signed in · Bastion</title><link rel=\"stylesheet\" href=\""
                + Assets.url("console.css") + "\"></head><body data-page=\"signed-in\"><main id=\"main\"><p>Signed in. "
                + "<a href=\"/console/\">Continue to the console</a>.</p></main></body></html>\n";
    }

    static String sealed() {
        return Html.page("Sealed", "problem", null, Map.of(), HEADER, "<h1>Unavailable</h1><p class=\"problem\" "
                + "id=\"problem\" data-code=\"sealed\">Bastion is sealed: an operator must unseal it before anyone can "
                + "sign in.</p>");
    }
}
