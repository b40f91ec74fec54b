package dev.bastion.privacy;

import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target: bulk consent import. Any bytes, read as CSV or as JSON lines, are either records that pass the same
 * checks as the API's, or one refusal naming a line (a 400 at the API) — never another exception (a 500), and never
 * a value of the file in the message.
 */
class ConsentImportFuzzTest {
    private static final Set<String> PURPOSES = Set.of("support", "analytics");
    private static final String MARK = "Qz7";

    @Property
    void anyImportIsRecordsOrOneRefusalNamingALineWithoutValues(@ForAll("files") byte[] file) {
        for (boolean csv : new boolean[] {true, false}) {
            List<ConsentChange> records;
            try {
                records = ConsentImport.parse(file, csv, PURPOSES);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).matches("line [0-9]+: [ -~]+|more than [0-9]+ records")
                        .doesNotContain(MARK);
                continue;
            }
            for (ConsentChange c : records) {
                assertThat(c.subjectId()).matches("[A-Za-z0-9._:-]{1,128}");
                assertThat(PURPOSES).contains(c.purpose());
                assertThat(c.basis()).isNotNull();
            }
        }
    }

    @Provide
    Arbitrary<byte[]> files() {
        return Mutations.of(512, List.of(
                bytes("purpose,subject,state,basis,evidence,expires_at\nsupport,c-" + MARK + ",granted,consent,"
                        + "\"receipt " + MARK + ", signed\",2027-01-31T00:00:00Z\nanalytics,c-2,withdrawn,contract,,\n"),
                bytes("subject,purpose\r\n\"c,1\",support\r\n" + MARK + ",analytics\r\n"),
                bytes("{\"subject\":\"c-" + MARK + "\",\"purpose\":\"support\",\"basis\":\"vital-interest\","
                        + "\"evidence\":\"r-" + MARK + "\",\"expires_at\":\"2027-01-31T00:00:00Z\"}\n\n"
                        + "{\"subject\":\"c-2\",\"purpose\":\"analytics\",\"state\":\"withdrawn\"}\n")));
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
