package dev.bastion.engine;

import dev.bastion.gguf.ModelFileDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/** SHA-256 of a model file, and the identity (size, mtime, inode) used to notice a swap after hashing. */
public final class ModelDigest {
    private ModelDigest() {}

    public static String sha256(Path file) throws IOException {
        return ModelFileDigest.sha256(file);
    }

    /** Constant-time comparison of two hex digests. */
    public static boolean matches(String expectedHex, String actualHex) {
        byte[] a = HexFormat.of().parseHex(expectedHex.toLowerCase(java.util.Locale.ROOT));
        byte[] b = HexFormat.of().parseHex(actualHex.toLowerCase(java.util.Locale.ROOT));
        return MessageDigest.isEqual(a, b);
    }

    /** What must not change between hashing and loading. */
    record Identity(long size, long modifiedMillis, Object fileKey) {
        static Identity of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Identity(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
        }

        boolean sameAs(Identity other) {
            return size == other.size && modifiedMillis == other.modifiedMillis && Objects.equals(fileKey, other.fileKey);
        }
    }
}
