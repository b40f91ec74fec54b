package dev.bastion.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small ustar/pax reader: enough to read OCI layouts and layers and to check every entry's metadata. */
final class TarEntries {
    enum Type { FILE, DIRECTORY, OTHER }

    record Entry(String path, Type type, int mode, long uid, long gid, long mtime, byte[] content) {}

    private TarEntries() {}

    static List<Entry> read(InputStream in) throws IOException {
        List<Entry> out = new ArrayList<>();
        String paxPath = null;
        byte[] header = new byte[512];
        while (true) {
            if (in.readNBytes(header, 0, 512) < 512) throw new IOException("truncated tar");
            if (allZero(header)) return out;
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            long size = octal(header, 124, 12);
            char flag = (char) header[156];
            byte[] content = in.readNBytes((int) size);
            if (content.length < size) throw new IOException("truncated tar entry " + name);
            in.skipNBytes((512 - size % 512) % 512);
            if (flag == 'x') { // pax extended header: only the path matters here
                paxPath = paxValue(content, "path");
                continue;
            }
            String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
            paxPath = null;
            while (path.startsWith("./")) path = path.substring(2);
            if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            Type type = flag == '0' || flag == 0 ? Type.FILE : flag == '5' ? Type.DIRECTORY : Type.OTHER;
            out.add(new Entry(path, type, (int) octal(header, 100, 8), octal(header, 108, 8), octal(header, 116, 8),
                    octal(header, 136, 12), content));
        }
    }

    private static String paxValue(byte[] records, String key) {
        for (String rec : new String(records, StandardCharsets.UTF_8).split("\n")) {
            int sp = rec.indexOf(' ');
            int eq = rec.indexOf('=');
            if (sp > 0 && eq > sp && rec.substring(sp + 1, eq).equals(key)) return rec.substring(eq + 1);
        }
        return null;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = text(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
