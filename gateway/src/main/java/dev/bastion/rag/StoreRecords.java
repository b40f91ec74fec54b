package dev.bastion.rag;

import dev.bastion.barrier.BarrierStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retrieval's records in the barrier's record store ({@code barrier_records}, paths {@code rag/…}): each value
 * encrypted by the barrier with its path as associated data.
 */
final class StoreRecords implements SealedRecords {
    private final BarrierStore store;

    StoreRecords(BarrierStore store) { this.store = store; }

    static SealedRecords over(dev.bastion.store.Database db, dev.bastion.barrier.Barrier barrier, java.time.Clock clock) {
        return new StoreRecords(BarrierStore.over(db, barrier, clock));
    }

    @Override
    public Optional<byte[]> get(String path) { return store.get(path); }

    @Override
    public Map<String, byte[]> getAll(Collection<String> paths) { return store.getAll(paths); }

    @Override
    public List<String> list(String folder) {
        String prefix = folder + "/";
        List<String> out = new ArrayList<>();
        for (String p : store.list(prefix)) if (p.indexOf('/', prefix.length()) < 0) out.add(p);
        return out;
    }

    @Override
    public void putAll(Map<String, byte[]> values) { store.putAll(values, null); }

    /**
     * Folders first, the named paths (a document's metadata among them) last: an interrupted deletion leaves the
     * document listed, so running it again finishes it.
     */
    @Override
    public int deleteAll(Collection<String> paths, Collection<String> folders) {
        int n = 0;
        for (String f : folders) n += store.deleteAll(f + "/");
        for (String p : paths) if (store.delete(p)) n++;
        return n;
    }

    @Override
    public SealedRecords forSubject(String subjectId) { return new StoreRecords(store.forSubject(subjectId)); }
}
