package dev.bastion.gguf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input never escapes as anything but a {@link GgufFormatException}, and never hangs. */
class GgufReaderPropertyTest {
    private static byte[] valid;

    @BeforeContainer
    static void model() throws Exception {
        Path dir = Files.createTempDirectory("gguf-prop");
        Path file = dir.resolve("m.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        GgufFile g = GgufReader.read(file);
        // the header is what the reader parses; keep a little tensor data after it
        valid = java.util.Arrays.copyOf(Files.readAllBytes(file), (int) g.dataOffset() + 4096);
        Files.delete(file);
        Files.delete(dir);
    }

    @Property
    void mutatedFilesParseOrFailTyped(@ForAll("mutations") List<int[]> edits) {
        byte[] file = valid.clone();
        for (int[] e : edits) file[Math.floorMod(e[0], file.length)] = (byte) e[1];
        readTypedOrFine(file);
    }

    @Property
    void randomBytesAfterAValidPrefixFailTyped(@ForAll("prefixes") int cut, @ForAll byte[] tail) {
        byte[] file = new byte[cut + tail.length];
        System.arraycopy(valid, 0, file, 0, cut);
        System.arraycopy(tail, 0, file, cut, tail.length);
        readTypedOrFine(file);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .flatMap(pos -> Arbitraries.integers().between(0, 255).map(v -> new int[]{pos, v}));
        return edit.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Integer> prefixes() {
        return Arbitraries.integers().between(0, 600);
    }

    private static void readTypedOrFine(byte[] file) {
        try {
            GgufFile g = GgufReader.read(file, GgufLimits.DEFAULT);
            assertThat(g.tensors()).isNotNull();
        } catch (GgufFormatException e) {
            assertThat(e.reason()).isNotNull();
        }
    }
}
