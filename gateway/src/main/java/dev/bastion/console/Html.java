package dev.bastion.console;

import dev.bastion.api.Reply;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTML for the console: escaping, the security headers of every console answer, and the page frame. Pages hold no
 * inline script or style (the Content-Security-Policy forbids both); behaviour comes from scripts under
 * {@code /console/assets/}, which fill pages from Bastion's own API.
 */
final class Html {
    /** No inline script or style, nothing from elsewhere; Trusted Types keep scripts off string-to-HTML sinks. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "require-trusted-types-for 'script'; trusted-types 'none'";

    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");

    private Html() {}

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A page answer with the console's headers; never cached (pages show who is signed in). */
    static Reply reply(int status, String html) {
        Reply r = Reply.bytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store");
        for (Map.Entry<String, String> h : SECURITY_HEADERS.entrySet()) r = r.header(h.getKey(), h.getValue());
        return r;
    }

    /**
     * A whole page.
     *
     * @param script page scripts under {@code /console/assets/} (comma-separated, in order), or null
     * @param meta   extra {@code <meta>} name/content pairs for the script (CSRF token, verifier key)
     * @param header the navigation bar, or "" on sign-in pages
     */
    static String page(String title, String pageId, String script, Map<String, String> meta, String header,
                       String main) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Bastion</title>")
                .append("<link rel=\"stylesheet\" href=\"").append(Assets.url("console.css")).append("\">")
                .append("<script src=\"").append(Assets.url("console.js")).append("\" defer></script>");
        if (script != null) {
            for (String s : script.split(",")) b.append("<script src=\"").append(Assets.url(s)).append("\" defer></script>");
        }
        for (Map.Entry<String, String> m : meta.entrySet()) {
            b.append("<meta name=\"").append(esc(m.getKey())).append("\" content=\"").append(esc(m.getValue())).append("\">");
        }
        b.append("</head><body data-page=\"").append(esc(pageId)).append("\">")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append(header)
                .append("<main id=\"main\" tabindex=\"-1\">").append(main).append("</main></body></html>\n");
        return b.toString();
    }
}
