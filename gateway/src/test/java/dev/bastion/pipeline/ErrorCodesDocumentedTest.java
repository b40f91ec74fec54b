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

    @Test
    void codesAreUniqueAndSnakeCase() {
        var seen = new java.util.HashSet<String>();
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(seen.add(c.code())).as(c.code()).isTrue();
            assertThat(c.code()).matches("[a-z][a-z_]*");
        }
    }
}
