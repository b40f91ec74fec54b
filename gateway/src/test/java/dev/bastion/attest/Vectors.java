package dev.bastion.attest;

import dev.bastion.testing.TestFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

/** The shared attestation vectors under testdata/attestation (see its README for what each proves). */
final class Vectors {
    private Vectors() {}

    static Path dir(String sub) { return TestFiles.testdata().resolve("attestation").resolve(sub); }

    static byte[] bytes(String path) {
        try {
            return Files.readAllBytes(dir(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hexFile(String path) {
        return HexFormat.of().parseHex(new String(bytes(path)).replaceAll("\\s", ""));
    }

    static Clock at(String instant) { return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC); }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }
}
