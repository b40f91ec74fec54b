package dev.bastion.models;

import dev.bastion.gguf.GgmlType;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelImporterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void importRecordsDigestSizeAndMetadata(StoreConfig.Kind kind) throws Exception {
        Path file = dir.resolve("m.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny().withWeightType(GgmlType.F16), file);
        try (var h = TestStores.open(kind)) {
            List<long[]> progress = new ArrayList<>();
            ModelImporter importer = new ModelImporter(new ModelStore(h.db()), CLOCK);
            ImportedModel m = importer.importModel(file, "tiny-f16", "test", (d, t) -> progress.add(new long[]{d, t}));

            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
            assertThat(m.sha256()).isEqualTo(expected);
            assertThat(m.sizeBytes()).isEqualTo(Files.size(file));
            assertThat(m.architecture()).isEqualTo("llama");
            assertThat(m.quantization()).isEqualTo("F16");
            assertThat(m.contextLength()).isEqualTo(1024L);
            assertThat(m.chatTemplate()).isEqualTo(SyntheticLlamaModel.CHATML_TEMPLATE);
            assertThat(m.tokenizer()).isEqualTo("gpt2");
            assertThat(progress.getLast()).containsExactly(Files.size(file), Files.size(file));

            ImportedModel stored = new ModelStore(h.db()).find("tiny-f16").orElseThrow();
            assertThat(stored).isEqualTo(m);
            assertThat(stored.importedAtMillis()).isEqualTo(CLOCK.millis());
            assertThat(new ModelStore(h.db()).list()).containsExactly(m);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void refusalsAreTypedAndWriteNothing(StoreConfig.Kind kind) throws Exception {
        Path file = dir.resolve("m.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        Path junk = Files.writeString(dir.resolve("junk.gguf"), "GGUF but not really");
        try (var h = TestStores.open(kind)) {
            ModelImporter importer = new ModelImporter(new ModelStore(h.db()), CLOCK);
            importer.importModel(file, "tiny", "test", (d, t) -> { });

            assertReason(() -> importer.importModel(file, "tiny", "test", (d, t) -> { }),
                    ModelImportException.Reason.NAME_TAKEN);
            assertReason(() -> importer.importModel(file, "Bad Name!", "test", (d, t) -> { }),
                    ModelImportException.Reason.INVALID_NAME);
            assertReason(() -> importer.importModel(dir.resolve("missing.gguf"), "x", "test", (d, t) -> { }),
                    ModelImportException.Reason.NOT_FOUND);
            assertReason(() -> importer.importModel(junk, "junk", "test", (d, t) -> { }),
                    ModelImportException.Reason.NOT_GGUF);
            assertThat(new ModelStore(h.db()).list()).extracting(ImportedModel::name).containsExactly("tiny");
        }
    }

    @org.junit.jupiter.api.Test
    void serveImportsOnceAndThenReusesTheRecordedModel() throws Exception {
        Path file = dir.resolve("My Model.Q8_0.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        Path other = dir.resolve("other.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny().withSeed(9), other);
        try (var h = TestStores.sqlite()) {
            ModelImporter importer = new ModelImporter(new ModelStore(h.db()), CLOCK);
            String name = ModelImporter.nameFor(file);
            assertThat(name).isEqualTo("my-model.q8_0");
            ImportedModel first = importer.ensureImported(file, name, "serve", (d, t) -> { });
            int[] hashed = {0};
            ImportedModel again = importer.ensureImported(file, name, "serve", (d, t) -> hashed[0]++);
            assertThat(again).isEqualTo(first);
            assertThat(hashed[0]).isZero(); // the worker verifies the digest; no second hash here
            assertReason(() -> importer.ensureImported(other, name, "serve", (d, t) -> { }),
                    ModelImportException.Reason.NAME_TAKEN);
        }
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                     ModelImportException.Reason reason) {
        assertThat(catchThrowableOfType(ModelImportException.class, call).reason()).isEqualTo(reason);
    }
}
