package dev.bastion.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a model file as lower-case hex. One implementation for both sides of the digest check: the gateway
 * records it at import (with a progress bar: files are gigabytes) and the engine worker recomputes it before loading.
 */
public final class ModelFileDigest {
    /** Bytes hashed so far out of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    private static final int BUFFER = 1 << 20;

    private ModelFileDigest() {}

    public static String sha256(Path file) throws IOException {
        return sha256(file, (done, total) -> { });
    }

    /** Reports progress about every 1 % (at least every MiB) and once at the end. */
    public static String sha256(Path file, Progress progress) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = ch.size();
            long done = 0;
            long step = Math.max(BUFFER, total / 100);
            long nextReport = step;
            progress.update(0, total);
            int n;
            while ((n = ch.read(buf)) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
                done += n;
                if (done >= nextReport) {
                    progress.update(Math.min(done, total), total);
                    nextReport = done + step;
                }
            }
            progress.update(done, total);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
