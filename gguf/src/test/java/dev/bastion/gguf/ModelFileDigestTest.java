package dev.bastion.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ModelFileDigestTest {
    @TempDir Path dir;

    @Test
    void theDigestIsTheStandardSha256OfTheWholeFileAcrossBufferBoundaries() throws Exception {
        byte[] data = new byte[(3 << 20) + 12_345];   // several 1 MiB reads and a partial last one
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("m.gguf"), data);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(ModelFileDigest.sha256(file)).isEqualTo(expected);
    }

    @Test
    void knownVectorsIncludingTheEmptyFile() throws Exception {
        assertThat(ModelFileDigest.sha256(Files.write(dir.resolve("abc"), "abc".getBytes())))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ModelFileDigest.sha256(Files.write(dir.resolve("empty"), new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void progressStartsAtZeroNeverGoesBackAndEndsAtTheFileSize() throws Exception {
        byte[] data = new byte[(5 << 20) + 1];
        Path file = Files.write(dir.resolve("big"), data);
        List<long[]> seen = new ArrayList<>();
        ModelFileDigest.sha256(file, (done, total) -> seen.add(new long[]{done, total}));
        assertThat(seen.getFirst()).containsExactly(0, data.length);
        assertThat(seen.getLast()).containsExactly(data.length, data.length);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)[0]).isGreaterThanOrEqualTo(seen.get(i - 1)[0]).isLessThanOrEqualTo(data.length);
            assertThat(seen.get(i)[1]).isEqualTo(data.length);
        }
        assertThat(seen.size()).as("a report about every MiB, not every read").isBetween(3, 10);
    }
}
