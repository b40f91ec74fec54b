package dev.bastion.audit.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle tree kept as its right edge of tiles (C2SP tlog-tiles, height 8): one partial row of at most 255 hashes
 * per level. Appending leaf hashes reports each tile the moment it becomes full; the root and the partial tiles are
 * available for the current size. Memory is O(levels × 8 KiB) whatever the tree size. Not thread-safe.
 */
public final class TileTree {
    public static final int HEIGHT = 8;
    public static final int WIDTH = 1 << HEIGHT;
    private static final int LEVELS = 8; // 256^8 = 2^64 leaves

    /** Receives each tile as it becomes full (exactly {@value #WIDTH} hashes). */
    @FunctionalInterface
    public interface FullTileSink {
        void fullTile(Tile tile) throws TlogException;
    }

    /** Loads a stored tile that holds at least {@code width} hashes. */
    @FunctionalInterface
    public interface TileLoader {
        byte[] load(int level, long index, int width) throws TlogException;
    }

    private final Hashes hashes = new Hashes();
    private final byte[][] rows = new byte[LEVELS][];
    private final int[] widths = new int[LEVELS];
    private final long[] fullTiles = new long[LEVELS];
    private long size;

    /** The empty tree. */
    public TileTree() {}

    /** The tree of {@code size} leaves, rebuilt from its partial tiles. */
    public static TileTree restore(long size, TileLoader loader) throws TlogException {
        if (size < 0) throw TlogException.malformed("negative tree size");
        TileTree t = new TileTree();
        for (int level = 0; level < LEVELS && (size >>> (HEIGHT * level)) != 0; level++) {
            t.fullTiles[level] = level == LEVELS - 1 ? 0 : size >>> (HEIGHT * (level + 1));
            int width = (int) ((size >>> (HEIGHT * level)) & (WIDTH - 1));
            if (width == 0) continue;
            byte[] tile = loader.load(level, t.fullTiles[level], width);
            if (tile == null || tile.length < width * Hashes.SIZE) {
                throw TlogException.malformed("tile " + level + "/" + t.fullTiles[level] + " is shorter than " + width);
            }
            t.rows[level] = Arrays.copyOf(tile, WIDTH * Hashes.SIZE);
            t.widths[level] = width;
        }
        t.size = size;
        return t;
    }

    public long size() { return size; }

    /** Appends one leaf hash; tiles that fill up are handed to {@code sink} bottom level first. */
    public void append(byte[] leafHash, FullTileSink sink) throws TlogException {
        append(leafHash, 0, sink);
    }

    /** Appends the leaf hash at {@code buf[off..off+32]}. */
    public void append(byte[] buf, int off, FullTileSink sink) throws TlogException {
        byte[] src = buf;
        int srcOff = off;
        for (int level = 0; ; level++) {
            if (rows[level] == null) rows[level] = new byte[WIDTH * Hashes.SIZE];
            System.arraycopy(src, srcOff, rows[level], widths[level] * Hashes.SIZE, Hashes.SIZE);
            if (++widths[level] < WIDTH) break;
            byte[] full = rows[level];
            if (sink != null) sink.fullTile(new Tile(level, fullTiles[level], WIDTH, full.clone()));
            fullTiles[level]++;
            widths[level] = 0;
            src = hashes.perfectRoot(full, 0, WIDTH);
            srcOff = 0;
            if (level + 1 == LEVELS) break;
        }
        size++;
    }

    /** The RFC 6962 root hash at the current size. */
    public byte[] root() {
        List<byte[]> nodes = new ArrayList<>();
        for (int level = LEVELS - 1; level >= 0; level--) {
            int w = widths[level];
            int off = 0;
            for (int bit = HEIGHT - 1; bit >= 0; bit--) {
                if ((w & (1 << bit)) == 0) continue;
                nodes.add(hashes.perfectRoot(rows[level], off * Hashes.SIZE, 1 << bit));
                off += 1 << bit;
            }
        }
        if (nodes.isEmpty()) return Hashes.emptyRoot();
        byte[] r = nodes.getLast();
        for (int i = nodes.size() - 2; i >= 0; i--) r = hashes.node(nodes.get(i), r);
        return r;
    }

    /** The partial (rightmost, not full) tiles at the current size, lowest level first; empty ones are omitted. */
    public List<Tile> partialTiles() {
        List<Tile> out = new ArrayList<>();
        for (int level = 0; level < LEVELS; level++) {
            if (widths[level] == 0) continue;
            out.add(new Tile(level, fullTiles[level], widths[level],
                    Arrays.copyOf(rows[level], widths[level] * Hashes.SIZE)));
        }
        return out;
    }

    /** A hash tile: {@code width} consecutive hashes of level {@code level}, tile {@code index}. */
    public record Tile(int level, long index, int width, byte[] hashes) {
        public TilePath path() { return TilePath.tile(level, index, width); }
    }
}
