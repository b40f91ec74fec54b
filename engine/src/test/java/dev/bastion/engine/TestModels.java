package dev.bastion.engine;

import dev.bastion.gguf.SyntheticLlamaModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic models generated once per test JVM; nothing is downloaded. */
final class TestModels {
    private static Path tiny;
    private static String tinySha;

    private TestModels() {}

    static synchronized Path tiny() {
        if (tiny == null) {
            try {
                Path dir = Files.createTempDirectory("bastion-engine-models");
                dir.toFile().deleteOnExit();
                tiny = dir.resolve("bastion-tiny.gguf");
                SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), tiny);
                tiny.toFile().deleteOnExit();
                tinySha = ModelDigest.sha256(tiny);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }

    static synchronized String tinySha256() {
        tiny();
        return tinySha;
    }
}
