package dev.bastion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** File helpers for tests: the checked-in test data and temp-tree cleanup. */
public final class TestFiles {
    private TestFiles() {}

    /** The repository's {@code testdata/} folder (set by surefire as BASTION_TESTDATA; found upward otherwise). */
    public static Path testdata() {
        String env = System.getenv("BASTION_TESTDATA");
        if (env != null && Files.isDirectory(Path.of(env))) return Path.of(env);
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("testdata"))) return p.resolve("testdata");
            p = p.getParent();
        }
        throw new IllegalStateException("testdata/ not found; run tests through Maven from the repository");
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
