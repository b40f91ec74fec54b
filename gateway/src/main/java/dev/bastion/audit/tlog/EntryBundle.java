package dev.bastion.audit.tlog;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** C2SP tlog-tiles entry bundles: a sequence of entries, each prefixed by its length as a big-endian uint16. */
public final class EntryBundle {
    public static final int MAX_ENTRY = 0xFFFF;

    private EntryBundle() {}

    /** Receives each entry of a bundle as a slice of the bundle buffer (no copy). */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(int position, byte[] buf, int off, int len) throws TlogException;
    }

    public static byte[] encode(List<byte[]> entries) {
        int total = 0;
        for (byte[] e : entries) total += 2 + e.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        for (byte[] e : entries) {
            if (e.length > MAX_ENTRY) throw new IllegalArgumentException("entry longer than 65535 bytes");
            out.write(e.length >>> 8);
            out.write(e.length & 0xFF);
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /**
     * Walks the entries of a bundle and returns how many there were. A length prefix or entry cut short throws a
     * MALFORMED exception whose position is the entry that is incomplete.
     */
    public static int visit(byte[] bundle, EntryVisitor visitor) throws TlogException {
        int pos = 0;
        int n = 0;
        while (pos < bundle.length) {
            if (bundle.length - pos < 2) {
                throw new TlogException(TlogException.Reason.MALFORMED, "entry bundle ends inside a length prefix", n);
            }
            int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
            pos += 2;
            if (bundle.length - pos < len) {
                throw new TlogException(TlogException.Reason.MALFORMED, "entry bundle ends inside an entry", n);
            }
            visitor.entry(n, bundle, pos, len);
            pos += len;
            n++;
        }
        return n;
    }

    public static List<byte[]> decode(byte[] bundle) throws TlogException {
        List<byte[]> out = new ArrayList<>();
        visit(bundle, (i, buf, off, len) -> out.add(java.util.Arrays.copyOfRange(buf, off, off + len)));
        return out;
    }
}
