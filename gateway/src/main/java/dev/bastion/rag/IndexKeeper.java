package dev.bastion.rag;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps this replica's {@link ChunkIndex} in step with the sealed records, which are the truth: at start it opens
 * the index in the data directory (or builds it from the records when it is missing or unreadable) and then, in the
 * background and after every change any replica publishes, indexes documents it lacks and drops documents that are
 * gone. Deleted chunks are expunged from the index files in the background (segments rewritten), so their vectors
 * and terms leave the disk, not only the results. Index writes are serialised here.
 */
final class IndexKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IndexKeeper.class.getName());

    private final Path dir;
    private final KeyedTerms analyzer;
    private final SealedRecords records;
    private final Tokens tokens;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rag-index");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean expungePending = new AtomicBoolean();
    private final AtomicBoolean reconcilePending = new AtomicBoolean();
    private final AtomicLong expunges = new AtomicLong();
    private volatile ChunkIndex index;
    private volatile boolean ready;

    IndexKeeper(Path dir, KeyedTerms analyzer, SealedRecords records, Tokens tokens) {
        this.dir = dir;
        this.analyzer = analyzer;
        this.records = records;
        this.tokens = tokens;
    }

    /**
     * Opens the index; when it is missing (or unreadable: then it is moved aside and rebuilt) retrieval answers
     * {@code retrieval_unavailable} until the rebuild from the sealed records is done, in the background.
     */
    synchronized void start() {
        boolean existed = Files.isDirectory(dir) && hasCommit(dir);
        try {
            dev.bastion.common.PrivateFiles.directories(dir);
            index = ChunkIndex.open(dir, analyzer);
            index.size();
        } catch (RuntimeException | IOException e) {
            if (lockedElsewhere(e)) {
                // another process on this data directory holds the index: never wipe it; retrieval, ingestion and
                // deletion answer retrieval_unavailable here rather than let two copies diverge
                LOG.warning("retrieval index is held by another process on this data directory: retrieval is "
                        + "unavailable on this server (give each replica its own data directory)");
                closeQuietly();
                ready = false;
                return;
            }
            LOG.warning("retrieval index unreadable (" + e.getClass().getSimpleName() + "): rebuilding it");
            closeQuietly();
            wipe();
            index = ChunkIndex.open(dir, analyzer);
            existed = false;
        }
        ready = existed;
        if (!existed) LOG.info("retrieval index missing: rebuilding it from the sealed records");
        reconcileLater();
    }

    boolean ready() { return ready; }

    private static boolean lockedElsewhere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.lucene.store.LockObtainFailedException) return true;
        }
        return false;
    }

    /** The index for a write; none when another process holds it (see {@link #start}). */
    private ChunkIndex writable() {
        ChunkIndex i = index;
        if (i == null) {
            throw new ProblemException(ErrorCode.RETRIEVAL_UNAVAILABLE.problem("the retrieval index is not open here"));
        }
        return i;
    }

    ChunkIndex index() {
        ChunkIndex i = index;
        if (!ready || i == null) {
            throw new ProblemException(ErrorCode.RETRIEVAL_UNAVAILABLE.problem("the retrieval index is being built"));
        }
        return i;
    }

    /** Indexes one document's chunks and commits. */
    synchronized void add(DocumentRecord doc, List<Records.StoredChunk> chunks) {
        ChunkIndex index = writable();
        try {
            index.put(doc.id(), entries(doc, chunks));
            index.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index write", e);
        }
    }

    /** Indexes many documents and commits once (bulk loads). */
    synchronized void addAll(Map<DocumentRecord, List<Records.StoredChunk>> docs) {
        ChunkIndex index = writable();
        try {
            for (var e : docs.entrySet()) index.put(e.getKey().id(), entries(e.getKey(), e.getValue()));
            index.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index write", e);
        }
    }

    /** Takes documents out of results now, and off the disk soon after. */
    synchronized void remove(java.util.Collection<String> docs) {
        if (docs.isEmpty()) return;
        ChunkIndex index = writable();
        try {
            index.delete(docs);
            index.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index write", e);
        }
        expungeLater();
    }

    /** Completed background expunges (tests wait for one to follow a deletion). */
    long expunges() { return expunges.get(); }

    void reconcileLater() {
        if (reconcilePending.compareAndSet(false, true)) {
            background.execute(() -> {
                reconcilePending.set(false);
                if (index == null) return; // held by another process
                try {
                    reconcile();
                    ready = true;
                } catch (RuntimeException | IOException e) {
                    LOG.warning("retrieval index reconciliation failed (" + e.getClass().getSimpleName() + ")");
                }
            });
        }
    }

    private void expungeLater() {
        if (expungePending.compareAndSet(false, true)) {
            background.execute(() -> {
                expungePending.set(false);
                try {
                    synchronized (this) {
                        index.expungeDeletes();
                    }
                    expunges.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    LOG.warning("retrieval index expunge failed (" + e.getClass().getSimpleName() + ")");
                }
            });
        }
    }

    /** Indexes what the records hold and the index lacks; drops what the index holds and the records do not. */
    void reconcile() throws IOException {
        Map<String, String> stored = new java.util.HashMap<>(); // doc id → metadata path
        for (String c : records.list(Records.COLLECTIONS)) {
            for (String d : records.list(Records.docs(Records.last(c)))) stored.put(Records.last(d), d);
        }
        Set<String> indexed = index.documents();
        Set<String> gone = new HashSet<>(indexed);
        gone.removeAll(stored.keySet());
        if (!gone.isEmpty()) {
            synchronized (this) {
                // an ingestion that committed after the listing above is not gone: its chunks are there
                gone.removeIf(d -> !records.list(Records.chunks(d)).isEmpty());
                remove(gone);
            }
        }
        int added = 0;
        for (var e : stored.entrySet()) {
            if (indexed.contains(e.getKey())) continue;
            var meta = records.get(e.getValue());
            if (meta.isEmpty()) continue;
            DocumentRecord doc = Records.json(meta.get(), DocumentRecord.class);
            List<String> paths = records.list(Records.chunks(doc.id()));
            List<Records.StoredChunk> chunks = new ArrayList<>(paths.size());
            for (byte[] b : records.getAll(paths).values()) chunks.add(Records.decodeChunk(b));
            chunks.sort(Comparator.comparingInt(Records.StoredChunk::seq));
            synchronized (this) {
                if (records.get(e.getValue()).isEmpty()) continue; // deleted meanwhile
                index.put(doc.id(), entries(doc, chunks));
            }
            added++;
        }
        if (added > 0) {
            synchronized (this) {
                index.commit();
            }
            LOG.info("retrieval index: " + added + " document(s) indexed from the sealed records");
        }
    }

    private List<ChunkIndex.Entry> entries(DocumentRecord doc, List<Records.StoredChunk> chunks) {
        List<String> acl = tokens.grants(doc.acl());
        List<ChunkIndex.Entry> out = new ArrayList<>(chunks.size());
        for (Records.StoredChunk c : chunks) {
            String indexed = c.heading().isEmpty() ? c.text() : c.heading() + "\n" + c.text();
            out.add(new ChunkIndex.Entry(Records.chunk(doc.id(), c.seq()), doc.id(), doc.collection(),
                    doc.classification(), acl, indexed, c.vector()));
        }
        return out;
    }

    private static boolean hasCommit(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("segments_"));
        } catch (IOException e) {
            return false;
        }
    }

    private void wipe() {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("retrieval index cannot be reset", e);
        }
    }

    private void closeQuietly() {
        try {
            if (index != null) index.close();
        } catch (RuntimeException ignored) {
            // the index is being replaced
        }
        index = null;
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeQuietly();
        }
    }
}
