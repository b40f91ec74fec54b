package dev.bastion.api;

import dev.bastion.common.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The credential for {@code operator init}: a one-time random token that a server with an uninitialised barrier
 * writes to {@code <data-dir>/init-token} ({@code 0600}, so only the account running Bastion — the machine's operator
 * — can read it). Being on loopback is not enough: any local user, an SSRF or a same-host proxy is on loopback too.
 * The token is spent by the first successful init (the file is deleted) and is never valid once the barrier is
 * initialised. Only its SHA-256 is kept in memory; comparison is constant-time.
 */
public final class InitToken {
    public static final String FILE_NAME = "init-token";

    private final Path file;
    private volatile byte[] digest;

    private InitToken(Path file, byte[] digest) {
        this.file = file;
        this.digest = digest;
    }

    /**
     * For a server whose barrier needs an operator init: a fresh token in {@code dataDir/init-token}. Otherwise no
     * token (and a stale file from an earlier start is removed).
     */
    public static InitToken forStart(boolean needsInit, Path dataDir, SecureRandom random) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!needsInit) {
                Files.deleteIfExists(file);
                return new InitToken(file, null);
            }
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            String token = "bit_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            PrivateFiles.writeAtomically(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
            return new InitToken(file, sha256(token));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the init token to " + file, e);
        }
    }

    /** Where the token is written (for the start-up message and the CLI). */
    public Path file() { return file; }

    /** Whether a token is outstanding. */
    public boolean issued() { return digest != null; }

    /** Whether {@code presented} is the outstanding token (constant-time; false when none is outstanding). */
    public boolean matches(String presented) {
        byte[] d = digest;
        if (d == null || presented == null || presented.length() > 256) return false;
        return MessageDigest.isEqual(d, sha256(presented.strip()));
    }

    /** The barrier is initialised: the token is spent and its file removed. */
    public void spend() {
        digest = null;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            java.util.logging.Logger.getLogger(InitToken.class.getName())
                    .warning("spent init token file could not be removed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() { return "InitToken[" + (digest == null ? "none" : "<redacted>") + "]"; }
}
