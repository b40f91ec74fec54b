package dev.bastion.common;

/** A secret string (upstream API key, database password). Printing it never shows the value. */
public record Secret(String value) {
    public static final Secret NONE = new Secret(null);

    public boolean present() { return value != null && !value.isEmpty(); }

    @Override
    public String toString() { return present() ? "<redacted>" : "<none>"; }
}
