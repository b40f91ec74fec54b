package dev.bastion.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An operator-supplied model file pinned by its SHA-256: {@link #verified()} reads the file, and refuses it when the
 * digest differs, before any parser sees it (a swapped file must not be loaded, not even to fail later).
 *
 * @param path   the file (ONNX weights or tokenizer.json)
 * @param sha256 expected digest, 64 hex digits
 */
public record ModelFile(Path path, String sha256) {

    public ModelFile {
        if (path == null) throw new IllegalArgumentException("model file path missing");
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("sha256 of " + path.getFileName() + " must be 64 hex digits");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    /** The file's bytes, after checking the digest. */
    public byte[] verified() throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new ModelLoadException("digest mismatch for " + path.getFileName() + " (expected " + sha256
                    + ", file has " + actual + ")");
        }
        return bytes;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelFile.class.getResourceAsStream(name)) {
            if (in == null) throw new ModelLoadException("resource " + name + " missing from the class path");
            return in.readAllBytes();
        }
    }
}
