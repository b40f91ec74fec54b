package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import dev.bastion.policy.Policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated records say only what the configuration and policy show: each claim points at the settings or
 * rules behind it, what is not configured is marked missing, and changing a setting changes the claim.
 */
class ComplianceRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aBareConfigurationShowsWhatIsMissing() throws Exception {
        ComplianceRecords r = records("");
        JsonNode art30 = r.gdprArt30(NOW);
        assertThat(claim(art30, "30(1)(a)").path("status").asText()).isEqualTo("missing");
        assertThat(claim(art30, "30(1)(a)").path("evidence").toString()).contains("privacy.controller.name");
        assertThat(claim(art30, "30(1)(b)").path("value").toString()).contains("support", "data-subject-request");
        assertThat(claim(art30, "30(1)(b)").path("evidence").toString()).contains(Policy.loadDefault().digest());
        assertThat(claim(art30, "30(1)(f)").path("status").asText()).isEqualTo("missing");
        assertThat(art30.path("items").toString()).contains("pseudonymise (rule protect-personal-data)");

        JsonNode hipaa = r.hipaa164312(NOW);
        assertThat(safeguard(hipaa, "164.312(e)(1)").path("status").asText()).isEqualTo("missing");
        assertThat(safeguard(hipaa, "164.312(a)(2)(ii)").path("status").asText()).isEqualTo("missing");
        assertThat(safeguard(hipaa, "164.312(a)(2)(iv)").path("status").asText()).as("insecure-file").isEqualTo("partial");
        assertThat(safeguard(hipaa, "164.312(b)").path("status").asText()).isEqualTo("met");
        // the console is on by default: its sessions log off when idle
        assertThat(safeguard(hipaa, "164.312(a)(2)(iii)").path("status").asText()).isEqualTo("met");
        assertThat(safeguard(hipaa, "164.312(a)(2)(iii)").path("implementation").asText()).contains("PT1H");
        assertThat(safeguard(hipaa, "164.312(c)(1)").path("implementation").asText()).contains("no witnesses");
        assertThat(safeguard(hipaa, "164.312(e)(1)").path("implementation").asText()).contains("declared destinations");
        for (JsonNode item : hipaa.path("items")) assertThat(item.path("evidence").size()).isPositive();
    }

    @Test
    void configuredSettingsBecomeStatedClaimsWithTheirSources() throws Exception {
        ComplianceRecords r = records("""
                privacy:
                  controller: {name: Example Health Ltd, contact: privacy@example.org, dpo: dpo@example.org}
                  data-subject-categories: [patients, staff]
                  home-region: eu-west
                  retention:
                    - {name: vault-health, data: pseudonyms, classification: restricted, keep: 7d}
                backends:
                  - {name: eu, url: "https://eu.example/v1", region: eu-west, max-classification: restricted}
                  - {name: us, url: "https://us.example/v1", region: us-east, max-classification: internal}
                siem:
                  - {name: soc-archive, format: json, transport: file, file: /var/log/bastion/audit.jsonl}
                console: {enabled: false}
                egress: {mode: allow-list}
                """);
        JsonNode art30 = r.gdprArt30(NOW);
        assertThat(claim(art30, "30(1)(a)").path("status").asText()).isEqualTo("stated");
        assertThat(claim(art30, "30(1)(a)").path("value").path("name").asText()).isEqualTo("Example Health Ltd");
        assertThat(claim(art30, "30(1)(d)").path("evidence").toString()).contains("backends[0]", "backends[1]", "siem[0]");
        assertThat(claim(art30, "30(1)(d)").path("value").toString()).contains("soc-archive");
        assertThat(claim(art30, "30(1)(e)").path("value").toString()).contains("us-east").doesNotContain("\"eu\"");
        assertThat(claim(art30, "30(1)(f)").path("value").toString()).contains("vault-health", "PT168H");
        assertThat(claim(art30, "30(1)(f)").path("evidence").toString()).contains("privacy.retention[0]");

        JsonNode hipaa = r.hipaa164312(NOW);
        assertThat(safeguard(hipaa, "164.312(a)(2)(iii)").path("status").asText()).as("no console, no JWT")
                .isEqualTo("partial");
        assertThat(safeguard(hipaa, "164.312(e)(1)").path("implementation").asText()).contains("egress allow-list");
        assertThat(safeguard(hipaa, "164.312(b)").path("implementation").asText()).contains("1 SIEM sink");
    }

    private static ComplianceRecords records(String yaml) throws Exception {
        Path file = Files.createTempFile("bastion-compliance", ".yaml");
        try {
            Files.writeString(file, yaml);
            BastionConfig config = ConfigLoader.load(file, Map.of());
            return new ComplianceRecords(config, Policy.loadDefault(), "bastion.test/audit", Duration.ofHours(24),
                    List.of("PERSON", "EMAIL_ADDRESS"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static JsonNode claim(JsonNode doc, String article) {
        for (JsonNode i : doc.path("items")) if (i.path("article").asText().equals(article)) return i;
        throw new AssertionError("no claim " + article);
    }

    private static JsonNode safeguard(JsonNode doc, String section) {
        for (JsonNode i : doc.path("items")) if (i.path("section").asText().equals(section)) return i;
        throw new AssertionError("no safeguard " + section);
    }

}
