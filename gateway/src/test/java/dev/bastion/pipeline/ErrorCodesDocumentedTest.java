package dev.bastion.pipeline;

import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** Error codes are part of the API contract: each one is documented with its status. */
class ErrorCodesDocumentedTest {

    @Test
    void everyErrorCodeIsInDocsErrorsWithItsStatus() throws Exception {
        String doc = Files.readString(TestFiles.testdata().getParent().resolve("docs/errors.md"));
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(doc).as(c.name()).contains("| " + c.status() + " | `" + c.code() + "` |");
        }
    }

    /** The other direction: a code removed or renamed in ErrorCode does not live on in the document. */
    @Test
    void everyCodeDocsErrorsListsExistsWithThatStatus() throws Exception {
        String doc = Files.readString(TestFiles.testdata().getParent().resolve("docs/errors.md"));
        var known = new java.util.HashSet<String>();
        for (ErrorCode c : ErrorCode.values()) known.add("| " + c.status() + " | `" + c.code() + "` |");
        var rows = java.util.regex.Pattern.compile("(?m)^\\| \\d{3} \\| `[^`]+` \\|").matcher(doc);
        int listed = 0;
        while (rows.find()) {
            listed++;
            assertThat(known).as("docs/errors.md row %s", rows.group()).contains(rows.group());
        }
        assertThat(listed).isGreaterThanOrEqualTo(ErrorCode.values().length);
    }

    @Test
    void codesAreUniqueAndSnakeCase() {
        var seen = new java.util.HashSet<String>();
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(seen.add(c.code())).as(c.code()).isTrue();
            assertThat(c.code()).matches("[a-z][a-z_]*");
        }
    }
}
