package dev.bastion.audit.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body: origin, tree size, base64 root hash, then optional non-empty extension lines, each
 * ending in a newline.
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (size < 0) throw new IllegalArgumentException("size must be non-negative");
        if (root == null || root.length != Hashes.SIZE) throw new IllegalArgumentException("root must be 32 bytes");
        root = root.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.indexOf('\n') >= 0) throw new IllegalArgumentException("extension lines are non-empty");
        }
    }

    public Checkpoint(String origin, long size, byte[] root) {
        this(origin, size, root, List.of());
    }

    @Override
    public byte[] root() { return root.clone(); }

    /** The note text of this checkpoint. */
    public String text() {
        StringBuilder sb = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(root)).append('\n');
        for (String e : extensions) sb.append(e).append('\n');
        return sb.toString();
    }

    public static Checkpoint parse(String text) throws TlogException {
        if (text == null || !text.endsWith("\n")) throw TlogException.malformed("checkpoint must end in a newline");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) throw TlogException.malformed("checkpoint needs origin, size and root");
        for (String line : lines) {
            if (line.isEmpty()) throw TlogException.malformed("checkpoint has an empty line");
        }
        String s = lines[1];
        if (!s.matches("0|[1-9][0-9]{0,18}")) throw TlogException.malformed("checkpoint size is not canonical decimal");
        long size;
        try {
            size = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw TlogException.malformed("checkpoint size is out of range");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw TlogException.malformed("checkpoint root is not base64");
        }
        if (root.length != Hashes.SIZE || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            throw TlogException.malformed("checkpoint root is not a canonical base64 SHA-256 hash");
        }
        List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
        return new Checkpoint(lines[0], size, root, ext);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size && Arrays.equals(root, c.root)
                && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() { return origin.hashCode() * 31 + Long.hashCode(size) * 17 + Arrays.hashCode(root); }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", " + Base64.getEncoder().encodeToString(root) + "]";
    }
}
