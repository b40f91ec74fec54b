package dev.bastion.console;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console sessions over plain HTTP (no browser): a session is only ever the credential it was opened with, the
 * sign-in form cannot be posted from elsewhere, and a session ends everywhere at sign-out.
 */
class ConsoleSessionTest {
    private static final Pattern FLOW = Pattern.compile("__Host-bastion-signin=([^;]*)");
    private static final Pattern SESSION = Pattern.compile("__Host-bastion-session=([^;]+)");
    private static final Pattern FORM = Pattern.compile("name=\"flow\" value=\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    static StandInUpstream upstream;
    static TestGateway gw;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + path)).header("Accept", "text/html");
        if (cookie != null) b.header("Cookie", cookie);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) b.header("Cookie", cookie);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    /** Signs in with an API key through the form; the session cookie value. */
    private String signIn(String key) throws Exception {
        HttpResponse<String> login = get("/console/login", null);
        String flow = find(FLOW, String.join("\n", login.headers().allValues("Set-Cookie")));
        String form = find(FORM, login.body());
        HttpResponse<String> r = post("/console/login/key", "__Host-bastion-signin=" + flow,
                "flow=" + form + "&key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String cookie = find(SESSION, String.join("\n", r.headers().allValues("Set-Cookie")));
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("__Host-bastion-session=").contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/"));
        return "__Host-bastion-session=" + cookie;
    }

    @Test
    void aRevokedKeyEndsItsConsoleSessionOnTheNextRequest() throws Exception {
        String key = gw.createKey("{\"name\":\"console-user\",\"roles\":[\"admin\"]}");
        String session = signIn(key);
        HttpResponse<String> keys = get("/console/keys", session);
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(gw.send("DELETE", "/bastion/v1/keys/" + key.split("_")[1], gw.adminKey, null).statusCode()).isEqualTo(200);
        HttpResponse<String> after = get("/console/keys", session);
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).contains("/console/login");
    }

    @Test
    void theKeyFormCannotBePostedWithoutTheFlowThisBrowserStarted() throws Exception {
        HttpResponse<String> forged = post("/console/login/key", null,
                "flow=whatever&key=" + URLEncoder.encode(gw.adminKey, StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-bastion-session=") && !c.contains("Max-Age=0"));
    }

    @Test
    void signingOutEndsTheSessionAndNeedsItsCsrfToken() throws Exception {
        String session = signIn(gw.adminKey);
        String csrf = find(CSRF, get("/console/", session).body());
        assertThat(post("/console/logout", session, "csrf=wrong").statusCode()).isEqualTo(303);
        assertThat(get("/console/", session).statusCode()).as("a wrong token does not sign out").isEqualTo(200);
        assertThat(post("/console/logout", session, "csrf=" + csrf).statusCode()).isEqualTo(303);
        assertThat(get("/console/", session).statusCode()).isEqualTo(303);
        // the API behind the pages refuses the ended session too
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(gw.base() + "/bastion/v1/keys"))
                .header("Cookie", session).header("X-CSRF-Token", csrf).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(TestGateway.errorCode(api)).isEqualTo("session_expired");
    }
}
