package dev.bastion.console;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The privacy pages in a real headless Chromium against a real Bastion: a privacy officer keeps a subject's consents
 * and answers access and erasure requests, with the subject id only ever in request bodies; the navigation offers
 * the pages only to roles the policy lets open them, and a developer gets the audited 403 page. Every page is checked
 * for CSP and Trusted Types violations and script errors, as in {@link ConsoleBrowserTest}.
 */
class PrivacyPagesBrowserTest {
    static final String SUBJECT = "patient-4711";
    static final String CHAT = "{\"model\":\"same\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    static StandInUpstream upstream;
    static TestGateway gw;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    @AfterEach
    void noPageBrokeItsContentSecurityPolicy() {
        assertThat(Browser.violations(browser.drainLog())).isEmpty();
    }

    @Test
    void aPrivacyOfficerGrantsAndWithdrawsAConsentThenExportsAndErasesTheSubjectAndBothAreInTheRequestLog() throws Exception {
        browser.signInWithKey(gw.base().toString(), gw.operatorKey("dpo", "privacy-officer"));
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).contains("Consents", "Data subjects");

        browser.open(gw.base() + "/console/consents");
        browser.find("#c-subject").sendKeys(SUBJECT);
        choose("#g-purpose", "support");
        choose("#g-basis", "consent");
        browser.find("#g-evidence").sendKeys("receipt-991");
        browser.find("#grant").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#change-status").contains("support: granted"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#consents tbody").contains("receipt-991"));
        WebElement row = browser.all("#consents tbody tr").getFirst();
        assertThat(row.getText()).contains("support", "granted", "consent");
        browser.screenshot("consents-granted");

        // a model request about the subject, made while the consent is in force, is found by the subject's id
        assertThat(gw.chat(gw.developerKey(), CHAT, "X-Bastion-Purpose", "support", "X-Bastion-Subject", SUBJECT)
                .statusCode()).isEqualTo(200);
        browser.open(gw.base() + "/console/audit");
        assertThat(browser.all("#f-purpose option")).extracting(WebElement::getText).containsExactly("data-subject-request");
        browser.find("#f-subject-id").sendKeys(SUBJECT);
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            browser.find("#search button[type=submit]").click();
            return browser.text("#search-status").startsWith("1 entries found");
        });
        assertThat(browser.text("#entries tbody")).contains("model.invoke");
        browser.screenshot("audit-by-subject");

        browser.open(gw.base() + "/console/consents");
        browser.find("#c-subject").sendKeys(SUBJECT);
        browser.find("#lookup button[type=submit]").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.all("#consents button.withdraw").isEmpty());
        row = browser.all("#consents tbody tr").getFirst();
        row.findElement(By.cssSelector("button.withdraw")).click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#consents tbody").contains("withdrawn"));
        assertThat(browser.text("#change-status")).contains("support: withdrawn");
        assertThat(browser.all("#consents button.withdraw")).isEmpty();

        browser.open(gw.base() + "/console/subjects");
        browser.find("#d-subject").sendKeys(SUBJECT);
        browser.find("#export").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#dsr-status").startsWith("Exported"));
        assertThat(browser.text("#dsr-status")).contains("1 consent record(s)");
        assertThat(browser.find("#export-download").getDomAttribute("href")).startsWith("blob:");
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#requests tbody").contains("access"));

        assertThat(browser.find("#erase-confirm").isDisplayed()).isFalse();
        browser.find("#erase").click();
        assertThat(browser.find("#erase-confirm").isDisplayed()).isTrue();
        assertThat(browser.text("#erase-subject")).isEqualTo(SUBJECT);
        browser.screenshot("subjects-erase-confirm");
        browser.find("#erase-yes").click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#dsr-status").startsWith("Erasure"));
        assertThat(browser.text("#dsr-status")).contains("erased", "destroyed");
        assertThat(browser.find("#export-link").isDisplayed()).isFalse();
        assertThat(browser.find("#older-requests").isDisplayed()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> browser.text("#requests tbody").contains("erasure"));
        assertThat(browser.text("#requests tbody")).contains("access");
        browser.screenshot("subjects-request-log");

        // the subject id went in bodies only: no address the browser fetched names it
        Object urls = browser.driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]).join(' ')");
        assertThat(String.valueOf(urls)).contains("/bastion/v1/subjects/requests").doesNotContain(SUBJECT);
        // and the erasure really happened: the registry holds nothing for the subject any more
        var lookup = gw.send("POST", "/bastion/v1/consents/lookup", gw.operatorKey("dpo-check", "privacy-officer"),
                "{\"subject\":\"" + SUBJECT + "\"}");
        assertThat(TestGateway.json(lookup.body()).path("data")).isEmpty();
    }

    @Test
    void pagesAndControlsAreOfferedOnlyToRolesThePolicyLetsUseThem() {
        browser.signInWithKey(gw.base().toString(), gw.auditorKey());
        // an auditor reads consents but answers no data-subject request
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).contains("Consents")
                .doesNotContain("Data subjects");
        // looks consents up but is offered no change (consent.manage)
        browser.open(gw.base() + "/console/consents");
        assertThat(browser.all("#change")).isEmpty();
        assertThat(browser.text("#read-only")).contains("consent.manage");
        // and may search by a subject's id only under an investigation purpose
        browser.open(gw.base() + "/console/audit");
        assertThat(browser.all("#f-purpose option")).extracting(WebElement::getText)
                .containsExactly("data-subject-request", "incident-investigation", "legal-request");
        browser.signInWithKey(gw.base().toString(), gw.adminKey);
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).doesNotContain("Consents", "Data subjects");
    }

    @Test
    void aDeveloperGetsTheAuditedForbiddenPageForThePrivacyPages() throws Exception {
        browser.signInWithKey(gw.base().toString(), gw.developerKey());
        assertThat(browser.all("header nav a")).extracting(WebElement::getText).containsExactly("Overview");
        for (String page : List.of("/console/consents", "/console/subjects")) {
            ConsoleBrowserTest.assertForbiddenPageIsAudited(browser, gw, page, "developer");
        }
        browser.screenshot("consents-forbidden");
    }

    private static void choose(String select, String option) {
        browser.all(select + " option").stream().filter(o -> o.getText().equals(option)).findFirst().orElseThrow().click();
    }
}
