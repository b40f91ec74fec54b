package dev.bastion.privacy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bulk import reads CSV (RFC 4180 quoting, any column order) and JSON lines into the same records; a bad line
 * refuses the whole import, naming the line and field but never echoing a value.
 */
class ConsentImportTest {
    private static final Set<String> PURPOSES = Set.of("support", "analytics");

    @Test
    void csvAndJsonLinesGiveTheSameRecords() {
        String csv = """
                purpose,subject,state,basis,evidence,expires_at
                support,c-1,granted,consent,"receipt 7, signed",2027-01-31T00:00:00Z
                analytics,c-2,withdrawn,legitimate-interest,,
                """;
        String jsonl = """
                {"subject":"c-1","purpose":"support","basis":"consent","evidence":"receipt 7, signed","expires_at":"2027-01-31T00:00:00Z"}

                {"subject":"c-2","purpose":"analytics","state":"withdrawn","basis":"legitimate-interest"}
                """;
        var fromCsv = ConsentImport.parse(csv.getBytes(StandardCharsets.UTF_8), true, PURPOSES);
        var fromJson = ConsentImport.parse(jsonl.getBytes(StandardCharsets.UTF_8), false, PURPOSES);
        assertThat(fromCsv).isEqualTo(fromJson).hasSize(2);
        assertThat(fromCsv.get(0).evidence()).isEqualTo("receipt 7, signed");
        assertThat(fromCsv.get(0).expiresAt()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(fromCsv.get(1).granted()).isFalse();
        assertThat(fromCsv.get(1).basis()).isEqualTo(LawfulBasis.LEGITIMATE_INTEREST);
    }

    @Test
    void aBadLineRefusesTheImportWithoutEchoingValues() {
        String secret = "jane.doe@example.org";
        String csv = "subject,purpose\nc-1,support\n" + secret + ",support\n";
        assertThatThrownBy(() -> ConsentImport.parse(csv.getBytes(StandardCharsets.UTF_8), true, PURPOSES))
                .hasMessageStartingWith("line 3: subject").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> ConsentImport.parse("{\"subject\":\"c-1\",\"purpose\":\"marketing\"}"
                .getBytes(StandardCharsets.UTF_8), false, PURPOSES)).hasMessage("line 1: purpose: not declared in the policy");
        assertThatThrownBy(() -> ConsentImport.parse("{\"subject\":\"c-1\",\"purpose\":\"support\",\"basis\":\"vibes\"}"
                .getBytes(StandardCharsets.UTF_8), false, PURPOSES)).hasMessageStartingWith("line 1: basis");
        // one object per line: a second one after it is not silently dropped, a repeated key not silently resolved
        assertThatThrownBy(() -> ConsentImport.parse("{\"subject\":\"c-1\",\"purpose\":\"support\"} {\"subject\":\"c-2\"}"
                .getBytes(StandardCharsets.UTF_8), false, PURPOSES)).hasMessage("line 1: not JSON");
        assertThatThrownBy(() -> ConsentImport.parse(("{\"subject\":\"c-1\",\"purpose\":\"support\",\"state\":\"granted\","
                + "\"state\":\"withdrawn\"}").getBytes(StandardCharsets.UTF_8), false, PURPOSES)).hasMessage("line 1: not JSON");
        assertThatThrownBy(() -> ConsentImport.parse("subject,purpose,colour\nc-1,support,red\n"
                .getBytes(StandardCharsets.UTF_8), true, PURPOSES)).hasMessage("line 1: unknown column");
        assertThatThrownBy(() -> ConsentImport.parse("subject,purpose\n\"c-1,support\n"
                .getBytes(StandardCharsets.UTF_8), true, PURPOSES)).hasMessage("line 2: unterminated quote");
    }
}
