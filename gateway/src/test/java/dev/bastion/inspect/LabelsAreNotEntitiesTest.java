package dev.bastion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Labels, ids, code and encoded bodies are not entities; context decides between SSN and phone. */
class LabelsAreNotEntitiesTest {
    private static final Inspector INSPECTOR = Inspector.builder().injection(false).build();

    private static List<EntityType> types(String text) {
        return ((Inspection.Found) INSPECTOR.inspect(text)).findings().stream()
                .filter(f -> f.score() >= 0.5).map(Finding::type).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Please fill in SSN and DOB below.",
            "SSN:\nDOB:\nName:\nAddress:",
            "| Name | DOB | MRN |\n|---|---|---|",
            "Do not store the PII or the PHI in the logs.",
            "Case 77474129 was escalated to tier 2.",
            "Pipeline #972314 is stuck on the lint step.",
            "Order #2834115230 was refunded yesterday.",
            "Please reorder catalogue number 1535-709-Q, we are out of stock.",
            "SKU 576178821 is discontinued.",
            "Item CNU-68597 ships in boxes of 12.",
            "CI run 6909527494 took 14 minutes.",
            "timeout: 56901\nretries: 1\nport: 6379",
            "Why does Jackson.readTree throw a NullPointerException?",
            "git checkout -b feature/9045-login-form",
            "Explain how Newton-Raphson converges, and compare it with the Fisher–Yates shuffle.",
            "The mice came from strain C57BL/6J.",
            "Refactor PersonMapperDto so that it no longer calls the repository.",
            "curl -s http://localhost:8080/health | jq .status",
    })
    void labelsIdsAndCodeAreNotEntities(String text) {
        assertThat(types(text)).as(text).isEmpty();
    }

    @Test
    void pemAndBase64BodiesAreNotAddressesOrNames() {
        String cert = "Is this valid?\n-----BEGIN CERTIFICATE-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
                + "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END CERTIFICATE-----";
        assertThat(types(cert)).isEmpty();
        assertThat(types("The attachment is base64: QmFzdGlvbiBJbnNwZWN0aW9uIFRlc3QgRGF0YSAxMjM0NTY3ODk=")).isEmpty();
        // a private key stays a secret
        assertThat(types(cert.replace("CERTIFICATE", "PRIVATE KEY"))).containsExactly(EntityType.SECRET);
    }

    @Test
    void contextWordsDecideBetweenSsnAndPhone() {
        assertThat(types("my social is 536221987")).containsExactly(EntityType.US_SSN);
        assertThat(types("My social security number: 536 22 1987")).containsExactly(EntityType.US_SSN);
        assertThat(types("call me on 415 555 0134")).containsExactly(EntityType.PHONE_NUMBER);
        assertThat(types("my social is 536221987, my cell is 415 555 0134"))
                .containsExactly(EntityType.US_SSN, EntityType.PHONE_NUMBER);
    }

    @Test
    void realEntitiesNextToLabelsAreStillFound() {
        assertThat(types("Name: Maria Garcia\nDOB: 04/05/1990\nSSN: 536-22-1987"))
                .containsExactly(EntityType.PERSON, EntityType.DATE_OF_BIRTH, EntityType.US_SSN);
        assertThat(types("Office: +49 30 1234567-Office")).containsExactly(EntityType.PHONE_NUMBER);
        assertThat(types("Sebastian Borg\n53 Fabrikstorget\nKalmar\nKamerun 79609")).contains(EntityType.PERSON, EntityType.STREET_ADDRESS);
        assertThat(types("The invoice from Adams-Bryant GmbH is overdue.")).containsExactly(EntityType.ORGANIZATION);
    }

    private static boolean allowed(JsonNode r, String text, Finding f) {
        for (JsonNode a : r.path("allow")) {
            int at = text.indexOf(a.get(1).asText());
            if (a.get(0).asText().equals(f.type().name()) && at >= 0 && f.start() >= at && f.end() <= at + a.get(1).asText().length()) return true;
        }
        return false;
    }

    @Test
    void lookAlikeNegativesOfTheDevSplitRarelyGetAFinding() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int n = 0, bad = 0;
        for (String line : Files.readAllLines(TestFiles.testdata().resolve("lookalike/lookalike_negatives.jsonl"))) {
            JsonNode r = json.readTree(line);
            if (!r.get("split").asText().equals("dev")) continue;
            n++;
            String text = r.get("text").asText();
            boolean falseFinding = ((Inspection.Found) INSPECTOR.inspect(text)).findings().stream()
                    .anyMatch(f -> f.score() >= 0.5 && !allowed(r, text, f));
            if (falseFinding) bad++;
        }
        assertThat(n).isGreaterThan(200);
        assertThat((double) bad / n).isLessThanOrEqualTo(0.05);
    }
}
