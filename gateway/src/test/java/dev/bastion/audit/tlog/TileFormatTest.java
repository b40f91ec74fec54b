package dev.bastion.audit.tlog;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tile paths, entry bundles and the tile tree. */
class TileFormatTest {

    @Test
    void tilePathsUseTheSpecsEncoding() throws Exception {
        assertThat(TilePath.tile(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(TilePath.tile(2, 0, 1).path()).isEqualTo("tile/2/000.p/1");
        assertThat(TilePath.entries(5, 17).path()).isEqualTo("tile/entries/005.p/17");
        assertThat(TilePath.parse("tile/entries/x001/000")).isEqualTo(TilePath.entries(1000, 256));
        for (String bad : List.of("tile/0/1", "tile/00/000", "tile/64/000", "tile/0/x000/001", "tile/0/000.p/0",
                "tile/0/000.p/256", "tile/0/000.p/01", "tile/0/x001", "tile/0/000/000", "tile/entries/000.p",
                "tiles/0/000", "tile/0/0a0", "tile/0/x999/x999/x999/x999/x999/x999/x999/999")) {
            assertThatThrownBy(() -> TilePath.parse(bad)).as(bad).isInstanceOf(TlogException.class);
        }
    }

    @Property(tries = 300)
    void everyTilePathParsesBackToItself(@ForAll boolean entries, @ForAll @IntRange(max = 63) int level,
                                         @ForAll @LongRange(max = Long.MAX_VALUE) long index,
                                         @ForAll @IntRange(min = 1, max = 256) int width) throws Exception {
        TilePath p = new TilePath(entries, entries ? 0 : level, index, width);
        assertThat(TilePath.parse(p.path())).isEqualTo(p);
    }

    @Property(tries = 500)
    void arbitraryPathsAreATypedErrorOrAPathThatFormatsBackIdentically(@ForAll @StringLength(max = 40) String s) {
        String path = "tile/" + s;
        try {
            assertThat(TilePath.parse(path).path()).isEqualTo(path);
        } catch (TlogException e) {
            assertThat(e.reason()).isEqualTo(TlogException.Reason.MALFORMED);
        }
    }

    @Property(tries = 300)
    void bundlesRoundTripAndTruncationNamesTheBrokenEntry(@ForAll @IntRange(min = 1, max = 40) int n,
                                                         @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] e = new byte[r.nextInt(300)];
            r.nextBytes(e);
            entries.add(e);
        }
        byte[] bundle = EntryBundle.encode(entries);
        assertThat(EntryBundle.decode(bundle)).usingElementComparator(java.util.Arrays::compare)
                .containsExactlyElementsOf(entries);
        int cut = r.nextInt(bundle.length);
        byte[] truncated = java.util.Arrays.copyOf(bundle, cut);
        int complete = 0;
        for (int pos = 0, i = 0; i < n; i++) {
            pos += 2 + entries.get(i).length;
            if (pos <= cut) complete++;
        }
        int expected = complete;
        try {
            assertThat(EntryBundle.decode(truncated)).hasSize(expected);
        } catch (TlogException e) {
            assertThat(e.position()).isEqualTo(expected);
        }
    }

    @Property(tries = 40)
    void tileTreeRootMatchesMerkleRootAndRestoresFromItsPartialTiles(
            @ForAll @IntRange(min = 0, max = 70_000) int size, @ForAll @IntRange(min = 0, max = 600) int more)
            throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size + more; i++) leaves.add(Hashes.leafHash(Integer.toString(i).getBytes()));
        java.util.Map<String, byte[]> stored = new java.util.HashMap<>();
        TileTree tree = new TileTree();
        for (int i = 0; i < size; i++) tree.append(leaves.get(i), t -> stored.put(t.level() + "/" + t.index(), t.hashes()));
        for (TileTree.Tile t : tree.partialTiles()) stored.put(t.level() + "/" + t.index(), t.hashes());
        assertThat(tree.root()).isEqualTo(Merkle.root(leaves.subList(0, size)));

        TileTree restored = TileTree.restore(size, (level, index, width) -> stored.get(level + "/" + index));
        for (int i = size; i < size + more; i++) restored.append(leaves.get(i), null);
        assertThat(restored.root()).isEqualTo(Merkle.root(leaves));
        assertThat(restored.size()).isEqualTo(size + more);
    }
}
