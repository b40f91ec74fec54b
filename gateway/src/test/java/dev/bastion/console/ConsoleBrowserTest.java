package dev.bastion.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.identity.OidcProvider;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console end to end, in a real headless Chromium against a real Bastion and a real OIDC provider: people sign
 * in with the provider (authorization code + PKCE) or an API key, and see and do only what the policy lets them.
 * Every page is checked for Content-Security-Policy and Trusted Types violations and script errors; screenshots of
 * the main pages land in {@code target/console-screenshots}. One browser and one server for the class.
 */
class ConsoleBrowserTest {
    static final String CHAT = "{\"model\":\"same\",\"messages\":[{\"role\":\"user\",\"content\":\"mail me at ada@example.org\"}]}";
    static StandInUpstream upstream;
    static OidcProvider idp;
    static TestGateway gw;
    static Browser browser;
    static String developer;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        idp = new OidcProvider();
        gw = TestGateway.start(upstream, """
                identity:
                  issuers:
                    - issuer: "%s"
                      audiences: [bastion]
                      jwks-url: "%s"
                      claims:
                        roles: [{claim: roles}]
                console:
                  oidc:
                    issuer: "%s"
                    client-id: bastion-console
                """.formatted(idp.issuer(), idp.jwksUri(), idp.issuer()));
        developer = gw.developerKey();
        for (int i = 0; i < 3; i++) assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (gw != null) gw.close();
        if (idp != null) idp.close();
        if (upstream != null) upstream.close();
    }

    @AfterEach
    void noPageBrokeItsContentSecurityPolicy() {
        assertThat(Browser.violations(browser.drainLog())).isEmpty();
    }

    static void signInWithProvider(String subject, List<String> roles) {
        idp.server.enqueueCallback(new DefaultOAuth2TokenCallback(OidcProvider.ISSUER_ID, subject, "JWT",
                List.of("bastion"), Map.of("roles", roles), 3600));
        browser.open(gw.base() + "/console/login");
        browser.find("#oidc-signin").click();
        await().atMost(20, TimeUnit.SECONDS).ignoreExceptions().until(() -> browser.text("#principal").endsWith("#" + subject));
        browser.awaitReady();
    }

    static void signInWithKey(String base, String key) { browser.signInWithKey(base, key); }

    /** Waits until the latest checkpoint covers every entry written so far (the explorer reads checkpoints). */
    static long awaitCheckpointedEntry() throws Exception {
        long size = AuditLogEntries.of(gw).size();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            String note = gw.send("GET", "/bastion/v1/audit/checkpoint", gw.auditorKey(), null).body();
            return Long.parseLong(note.split("\n")[1]) >= size;
        });
        return size - 1;
    }

    @Test
    void anAuditorSignedInWithTheProviderVerifiesAnEntryAndTheLogsConsistencyInTheBrowser() throws Exception {
        signInWithProvider("auditor-ann", List.of("auditor"));
        browser.screenshot("home");
        long index = awaitCheckpointedEntry();
        browser.open(gw.base() + "/console/audit");
        assertThat(browser.text("#consistency")).contains("First checkpoint");
        assertThat(browser.all("#entries tbody tr")).isNotEmpty();
        browser.screenshot("audit-explorer");

        // a filtered search goes to the server's search index, which follows the log a moment behind it
        String auditor = gw.operatorKey("auditor-index-check", "auditor");
        await().atMost(10, TimeUnit.SECONDS).until(() -> TestGateway.json(gw.send("GET",
                "/bastion/v1/audit/search?finding=EMAIL_ADDRESS&limit=5", auditor, null).body()).path("results").size() > 0);
        browser.find("#f-finding").sendKeys("EMAIL_ADDRESS");
        browser.find("#search button[type=submit]").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#search-status").contains("entries found"));
        List<WebElement> hits = browser.all("#entries tbody tr");
        assertThat(hits).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains("EMAIL_ADDRESS"));

        browser.open(gw.base() + "/console/audit/entries/" + index);
        browser.find("#verify").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.find("#verdict").getDomAttribute("data-result") != null);
        assertThat(browser.find("#verdict").getDomAttribute("data-result")).as(browser.text("#verify-steps")).isEqualTo("verified");
        browser.screenshot("audit-entry-verified");

        // the log grows; the browser proves the new checkpoint extends the one it remembered
        assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
        long later = awaitCheckpointedEntry();
        assertThat(later).isGreaterThan(index);
        browser.find("#verify").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#verify-steps").contains("Consistent with the tree"));
        assertThat(browser.find("#verdict").getDomAttribute("data-result")).isEqualTo("verified");
    }

    @Test
    void aTamperedEntryServedThroughAProxyFailsVerificationInTheBrowser() throws Exception {
        long index = awaitCheckpointedEntry();
        try (TamperingProxy proxy = new TamperingProxy(gw.base())) {
            proxy.tamperIndex = index;
            signInWithKey(proxy.base().toString(), gw.auditorKey());
            browser.open(proxy.base() + "/console/audit/entries/" + index);
            assertThat(browser.text("#entry-fields")).containsPattern("Time\\s+3[0-9]{3}-");
            browser.find("#verify").click();
            await().atMost(10, TimeUnit.SECONDS).until(() -> browser.find("#verdict").getDomAttribute("data-result") != null);
            assertThat(browser.find("#verdict").getDomAttribute("data-result")).isEqualTo("failed");
            assertThat(browser.text("#verify-steps")).contains("does NOT lead to the checkpoint's root");
            browser.screenshot("audit-entry-tampered");
        }
    }

    @Test
    void aDeveloperCannotOpenAdminPagesAndEachRefusalIsAuditedUnderTheIdThePageShows() throws Exception {
        signInWithKey(gw.base().toString(), developer);
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).containsExactly("Overview");
        for (String page : List.of("/console/keys", "/console/audit", "/console/policy", "/console/dashboard")) {
            assertForbiddenPageIsAudited(browser, gw, page, "developer");
            if (page.equals("/console/keys")) browser.screenshot("forbidden");
        }
        // the API behind the pages refuses the same way: the session adds nothing to the key
        browser.open(gw.base() + "/console/");
        browser.drainLog();
    }

    @Test
    void aStewardApprovesAModelCardFromItsPageAndTheTwoPersonRuleIsShown() throws Exception {
        String submitter = gw.operatorKey("steward-a", "model-steward");
        String id = Governance.evaluatedEntry(gw, upstream, submitter, "high");
        signInWithProvider("steward-bea", List.of("model-steward"));
        browser.open(gw.base() + "/console/models");
        browser.screenshot("models");
        browser.find("#registry a[href='/console/models/" + id + "']").click();
        browser.awaitReady();
        assertThat(browser.text("#approval-rule")).contains("0 of 2", "two different approvers");
        assertThat(browser.text("#evaluations")).contains("Per group");
        browser.find("#approve").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#model-status").contains("Approved"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#approval-rule").contains("1 of 2"));
        assertThat(browser.text("#approvals")).contains("steward-bea");
        browser.screenshot("model-approved-once");
        // the same person cannot be the second approver
        browser.find("#approve").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#model-status").contains("approval_not_allowed"));
    }

    @Test
    void aPolicyWithAnErrorShowsItsLineAndColumnAndTheShippedCasesPassBeforeAReload() throws Exception {
        signInWithKey(gw.base().toString(), gw.adminKey);
        browser.open(gw.base() + "/console/policy");
        assertThat(browser.text("#policy-info")).contains("sha256");
        browser.find("#diff-test").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#reload-status").contains("failed"));
        assertThat(browser.text("#reload-status")).contains("0 failed");
        assertThat(browser.text("#diff")).contains("No difference");

        WebElement editor = browser.find("#policy-text");
        editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        editor.sendKeys("version: 1\nrules:\n  - id: broken\n    effect: perhaps\n    roles: [admin]\n    actions: [keys.manage]\n");
        browser.find("#check").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.all("#policy-errors li").isEmpty());
        WebElement error = browser.all("#policy-errors li").getFirst();
        assertThat(error.getDomAttribute("data-line")).isEqualTo("4");
        assertThat(Integer.parseInt(error.getDomAttribute("data-column"))).isPositive();
        assertThat(error.getText()).contains("line 4, column");
        browser.screenshot("policy-error");

        browser.find("#s-roles").clear();
        browser.find("#s-roles").sendKeys("developer");
        browser.find("#simulate button[type=submit]").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.all("#sim-facts").isEmpty());
        assertThat(browser.text("#sim-facts")).contains("allow", "developer-models");
    }

    @Test
    void anAdminCreatesACollectionAndUploadsDocumentsWhoseTextThePageNeverShows() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("upload").resolve("onboarding.md");
        java.nio.file.Files.writeString(file, "# Onboarding\n\nNew staff write to grace.hopper@example.com on their first day; "
                + "laptops are collected at the front desk.");
        signInWithKey(gw.base().toString(), gw.adminKey);
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).contains("Collections");
        browser.open(gw.base() + "/console/collections");
        browser.find("#c-name").sendKeys("people");
        browser.find("#c-roles").sendKeys("developer");
        browser.find("#create-collection button[type=submit]").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#collections").contains("people"));
        browser.find("#collections button.link").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.find("#documents-section").isDisplayed());
        browser.find("#d-files").sendKeys(file.toString());
        browser.find("#upload button[type=submit]").click();
        await().atMost(60, TimeUnit.SECONDS).until(() -> browser.text("#documents").contains("onboarding.md"));
        assertThat(browser.text("#documents")).contains("EMAIL_ADDRESS 1", "pseudonymised").doesNotContain("grace", "laptops");
        assertThat(browser.text("#documents-status")).contains("onboarding.md");
        browser.screenshot("collections");

        JsonNode people = TestGateway.json(gw.send("GET", "/bastion/v1/collections/people", gw.adminKey, null).body());
        assertThat(people.path("access").path("roles").toString()).contains("developer");
        assertThat(people.path("personal_data").asText()).isEqualTo("pseudonymise");
    }

    @Test
    void aTestedPolicyAppliedFromTheEditorBecomesTheNextVersionAndARollbackTheOneAfter() throws Exception {
        signInWithKey(gw.base().toString(), gw.adminKey);
        browser.open(gw.base() + "/console/policy");
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#policy-history").contains("seed"));
        WebElement editor = browser.find("#policy-text");
        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\n# applied from the console\n");
        assertThat(browser.find("#apply").isEnabled()).isFalse();
        browser.find("#diff-test").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.find("#apply").isEnabled());
        browser.find("#apply").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#reload-status").contains("Applied"));
        assertThat(browser.text("#reload-status")).contains("applied, version", "running on all 1 replica(s)");
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#policy-history").contains("(running)"));
        String newest = browser.all("#policy-history tbody tr").getFirst().getText();
        assertThat(newest).contains("(running)", "edit");
        var source = TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body());
        assertThat(source.path("text").asText()).endsWith("# applied from the console\n");

        // and back: the seed's text becomes the next version
        browser.all("#policy-history tbody tr").getLast().findElement(By.cssSelector("button.rollback")).click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#reload-status").contains("Rolled back"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.all("#policy-history tbody tr").getFirst().getText()
                .contains("rollback:1"));
        assertThat(browser.all("#policy-history tbody tr").getFirst().getText()).contains("(running)");
        assertThat(TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body())
                .path("text").asText()).doesNotContain("# applied from the console");
    }

    @Test
    void anAdminCreatesAKeyWhoseSecretIsShownOnceAndSeesTheDashboards() throws Exception {
        signInWithKey(gw.base().toString(), gw.adminKey);
        browser.open(gw.base() + "/console/keys");
        browser.find("#k-name").sendKeys("console-made");
        browser.find("#create-key button[type=submit]").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.find("#new-key").isDisplayed());
        String key = browser.text("#new-key-value");
        assertThat(key).startsWith("bst_");
        assertThat(gw.send("GET", "/v1/models", key, null).statusCode()).isEqualTo(200);
        browser.find("#hide-key").click();
        assertThat(browser.find("#new-key-value").getText()).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#keys").contains("console-made"));
        browser.screenshot("keys");

        browser.open(gw.base() + "/console/dashboard");
        assertThat(browser.all("#plot-requests svg path.series")).isNotEmpty();
        assertThat(browser.text("#plot-findings")).contains("EMAIL_ADDRESS");
        assertThat(browser.text("#backend-state")).contains("standin");
        browser.find("#theme-toggle").click();
        assertThat(browser.driver.findElement(By.tagName("html")).getDomAttribute("data-theme")).isNotNull();
        browser.screenshot("dashboard");
    }

    @Test
    void aChangeWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        signInWithKey(gw.base().toString(), gw.adminKey);
        Object status = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/bastion/v1/keys', {method: 'POST', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({name: 'forged'})}).then(r => r.json().then(b => done(r.status + ' ' + b.error.code)));
                """);
        assertThat(status).isEqualTo("403 csrf_rejected");
        assertThat(gw.send("GET", "/bastion/v1/keys", gw.adminKey, null).body()).doesNotContain("forged");
    }

    /** Opens {@code page}, expects the 403 page, and finds its refusal in the audit log under the id the page shows. */
    static void assertForbiddenPageIsAudited(Browser browser, TestGateway gw, String page, String role) throws Exception {
        browser.open(gw.base() + page);
        assertThat(browser.text("h1")).as(page).isEqualTo("Not allowed");
        String requestId = browser.text("#request-id");
        await().atMost(10, TimeUnit.SECONDS).until(() -> refusal(gw, requestId) != null);
        JsonNode refused = refusal(gw, requestId);
        assertThat(refused.path("status").asInt()).isEqualTo(403);
        assertThat(refused.path("principal").path("roles").toString()).contains(role);
    }

    private static JsonNode refusal(TestGateway gw, String requestId) throws Exception {
        return AuditLogEntries.of(gw).stream().filter(e -> e.path("kind").asText().equals("bastion.audit.refused/v1")
                && e.path("request_id").asText().equals(requestId)).findFirst().orElse(null);
    }
}
