package dev.bastion.attest;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Allowed values of a measurement (hex). {@link #ANY} must be chosen explicitly; an empty list allows nothing.
 */
public record AllowList(boolean any, Set<String> values) {
    public static final AllowList ANY = new AllowList(true, Set.of());

    public AllowList {
        TreeSet<String> norm = new TreeSet<>();
        for (String v : values) {
            String h = v.strip().toLowerCase(Locale.ROOT);
            HexFormat.of().parseHex(h); // rejects non-hex at configuration time
            norm.add(h);
        }
        values = Set.copyOf(norm);
    }

    public static AllowList of(String... hex) { return new AllowList(false, Set.of(hex)); }

    public static AllowList of(Set<String> hex) { return new AllowList(false, hex); }

    boolean allows(byte[] value) { return any || values.contains(HexFormat.of().formatHex(value)); }
}
