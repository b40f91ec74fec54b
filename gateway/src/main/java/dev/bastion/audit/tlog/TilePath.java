package dev.bastion.audit.tlog;

/**
 * A C2SP tlog-tiles resource path below the log prefix: {@code tile/<L>/<N>[.p/<W>]} for hash tiles and
 * {@code tile/entries/<N>[.p/<W>]} for entry bundles. {@code N} is written in 3-digit groups, all but the last
 * prefixed with {@code x} ({@code 1234067 → x001/x234/067}); a full tile has width 256 and no {@code .p} suffix.
 * Parsing accepts only the canonical spelling, so every resource has exactly one path.
 */
public record TilePath(boolean entries, int level, long index, int width) {

    public TilePath {
        if (!entries && (level < 0 || level > 63)) throw new IllegalArgumentException("tile level must be 0..63");
        if (index < 0) throw new IllegalArgumentException("tile index must be non-negative");
        if (width < 1 || width > TileTree.WIDTH) throw new IllegalArgumentException("tile width must be 1..256");
    }

    public static TilePath tile(int level, long index, int width) { return new TilePath(false, level, index, width); }

    public static TilePath entries(long index, int width) { return new TilePath(true, 0, index, width); }

    public boolean full() { return width == TileTree.WIDTH; }

    /** First leaf index covered by this resource ({@code index · 256^(level+1)}), saturating at Long.MAX_VALUE. */
    public long startLeaf() {
        int shift = TileTree.HEIGHT * ((entries ? 0 : level) + 1);
        if (shift >= 63 || index > (Long.MAX_VALUE >>> shift)) return Long.MAX_VALUE;
        return index << shift;
    }

    /** The tree size needed for this resource to exist, saturating at Long.MAX_VALUE. */
    public long requiredTreeSize() {
        int unitShift = TileTree.HEIGHT * (entries ? 0 : level);
        long start = startLeaf();
        if (unitShift >= 63 || start == Long.MAX_VALUE) return Long.MAX_VALUE;
        long span = (long) width << unitShift;
        return span < 0 || start > Long.MAX_VALUE - span ? Long.MAX_VALUE : start + span;
    }

    public String path() {
        StringBuilder sb = new StringBuilder("tile/").append(entries ? "entries" : Integer.toString(level)).append('/');
        String digits = Long.toString(index);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) sb.append('x').append(digits, i, i + 3).append('/');
            else sb.append(digits, i, i + 3);
        }
        if (!full()) sb.append(".p/").append(width);
        return sb.toString();
    }

    @Override
    public String toString() { return path(); }

    public static TilePath parse(String path) throws TlogException {
        if (path == null || path.length() > 128 || !path.startsWith("tile/")) throw bad();
        String[] parts = path.substring(5).split("/", -1);
        if (parts.length < 2) throw bad();
        boolean entries = parts[0].equals("entries");
        int level = entries ? 0 : smallInt(parts[0], 0, 63);
        long index = 0;
        int width = TileTree.WIDTH;
        int i = 1;
        for (; i < parts.length; i++) {
            String p = parts[i];
            boolean last = !p.startsWith("x");
            String digits = last ? p : p.substring(1);
            if (last && digits.endsWith(".p")) digits = digits.substring(0, digits.length() - 2);
            if (digits.length() != 3 || !allDigits(digits)) throw bad();
            try {
                index = Math.addExact(Math.multiplyExact(index, 1000), Integer.parseInt(digits));
            } catch (ArithmeticException e) {
                throw bad();
            }
            if (last) {
                if (p.endsWith(".p")) {
                    if (i + 2 != parts.length) throw bad();
                    width = smallInt(parts[i + 1], 1, TileTree.WIDTH - 1);
                } else if (i + 1 != parts.length) {
                    throw bad();
                }
                break;
            }
        }
        if (i >= parts.length) throw bad();
        TilePath result = new TilePath(entries, level, index, width);
        if (!result.path().equals(path)) throw bad(); // e.g. redundant x000/ groups
        return result;
    }

    private static int smallInt(String s, int min, int max) throws TlogException {
        if (s.isEmpty() || s.length() > 3 || !allDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) throw bad();
        int v = Integer.parseInt(s);
        if (v < min || v > max) throw bad();
        return v;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static TlogException bad() { return TlogException.malformed("not a tlog-tiles path"); }
}
