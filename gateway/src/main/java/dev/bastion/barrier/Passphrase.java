package dev.bastion.barrier;

import javax.security.auth.Destroyable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A passphrase or PIN held as characters that can be wiped; {@code toString} is redacted. */
public final class Passphrase implements Destroyable, AutoCloseable {
    private final char[] chars;
    private volatile boolean destroyed;

    private Passphrase(char[] chars) { this.chars = chars; }

    /** Takes ownership of {@code chars}. */
    public static Passphrase of(char[] chars) { return new Passphrase(chars); }

    public static Passphrase of(String text) { return new Passphrase(text.toCharArray()); }

    /** Reads the first line of a file (for PIN files and unseal-from-file in operations scripts). */
    public static Passphrase fromFile(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return of((nl >= 0 ? s.substring(0, nl) : s).strip().toCharArray());
        } catch (IOException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "cannot read secret file", e);
        }
    }

    /** Reads an environment variable; fails typed if it is unset. */
    public static Passphrase fromEnv(String variable) {
        String v = System.getenv(variable);
        if (v == null) throw new BarrierException(BarrierException.Kind.PROVIDER, "environment variable " + variable + " is not set");
        return of(v.toCharArray());
    }

    /** A copy the caller owns (and should wipe). */
    public char[] chars() {
        if (destroyed) throw new IllegalStateException("passphrase was destroyed");
        return chars.clone();
    }

    public int length() { return chars.length; }

    @Override
    public void destroy() {
        Arrays.fill(chars, '\0');
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() { return destroyed; }

    @Override
    public void close() { destroy(); }

    @Override
    public String toString() { return "Passphrase[<redacted>]"; }
}
