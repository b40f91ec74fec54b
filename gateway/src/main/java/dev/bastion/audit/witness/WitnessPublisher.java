package dev.bastion.audit.witness;

import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.CheckpointCosignatures;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each new checkpoint of the audit log to every configured witness and stores the cosignatures that
 * verify. With a quorum set on the reader ({@link AuditLogReader#requireWitnessQuorum}), a checkpoint is served
 * only once that many witnesses cosigned it; a witness that refuses (e.g. because the log forked from what it saw)
 * never adds its signature, so a forked log cannot reach the quorum.
 */
public final class WitnessPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WitnessPublisher.class.getName());

    private final AuditLogReader log;
    private final CheckpointCosignatures store;
    private final List<Witness> witnesses;
    private final WitnessClient client;
    private final Map<String, Long> cosignedSize = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public WitnessPublisher(AuditLogReader log, CheckpointCosignatures store, List<Witness> witnesses,
                            WitnessClient client) {
        this.log = log;
        this.store = store;
        this.witnesses = List.copyOf(witnesses);
        this.client = client;
    }

    /** Publishes on a background thread every {@code interval} (the checkpoint interval suits). */
    public synchronized void start(Duration interval) {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("audit-witness")
                .unstarted(r));
        timer.scheduleWithFixedDelay(() -> {
            try {
                publishOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | AuditUnavailableException e) {
                LOG.log(Level.WARNING, "witnessing failed: " + e.getClass().getSimpleName());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Offers the latest checkpoint to every witness that has not cosigned it yet; returns each contacted
     * witness's outcome by name (empty when there is no new checkpoint).
     */
    public synchronized Map<String, WitnessClient.Outcome> publishOnce()
            throws AuditUnavailableException, InterruptedException {
        Map<String, WitnessClient.Outcome> outcomes = new LinkedHashMap<>();
        Optional<byte[]> note = log.checkpointNote();
        if (note.isEmpty()) return outcomes;
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(Note.parse(note.get()).text());
        } catch (TlogException e) {
            throw new AuditUnavailableException("stored checkpoint is malformed", e);
        }
        if (cp.size() == 0) return outcomes;
        for (Witness w : witnesses) {
            long known = cosignedSize.getOrDefault(w.name(), 0L);
            if (known >= cp.size()) continue;
            WitnessClient.Outcome o = client.addCheckpoint(w, note.get(), cp, known, this::proof);
            outcomes.put(w.name(), o);
            switch (o) {
                case WitnessClient.Outcome.Cosigned c -> {
                    store.add(cp.size(), w.name(), c.line().getBytes(StandardCharsets.UTF_8), c.time());
                    cosignedSize.put(w.name(), cp.size());
                }
                case WitnessClient.Outcome.Refused r ->
                        LOG.warning("witness " + w.name() + " did not cosign size " + cp.size() + ": " + r.reason());
            }
        }
        return outcomes;
    }

    private List<byte[]> proof(long oldSize, long newSize) throws IOException {
        try {
            return log.consistencyProof(oldSize, newSize);
        } catch (AuditUnavailableException e) {
            throw new IOException("consistency proof unavailable", e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
