package dev.bastion.audit;

import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.store.Database;

import java.sql.Connection;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tamper-evident audit log: durable, group-committed appends of {@link AuditEntry entries}, an integrator that
 * builds the RFC 6962 tree and signs a C2SP checkpoint at least every {@link AuditConfig#checkpointInterval()}, and
 * the tlog-tiles {@link #reader() read API}. Thread-safe; one instance per process and store.
 */
public final class AuditLedger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditLedger.class.getName());

    private final AuditConfig config;
    private final NoteSigner signer;
    private final GroupCommitter committer;
    private final Integrator integrator;
    private final RefusalWindow refusals;
    private final AuditLogReader reader;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private AuditLedger(AuditConfig config, LedgerStore store, NoteSigner signer, Clock clock, CheckpointAnchor anchor) {
        this.config = config;
        this.clock = clock;
        this.signer = signer;
        this.committer = new GroupCommitter(store, config.maxBatch(), config.queueCapacity());
        this.integrator = new Integrator(store, signer, clock, Math.max(config.maxBatch(), 16_384), anchor);
        this.refusals = new RefusalWindow(clock, config.refusalWindow(), config.refusalQuota());
        this.reader = new AuditLogReader(store);
        this.scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("bastion-audit-integrator").daemon(true).factory());
    }

    /**
     * Opens the ledger: checks the store is reachable, loads (or creates) the signing key, starts the writer and,
     * if configured, the integrator. Fails when there is no usable audit storage — the server must not start then.
     */
    public static AuditLedger open(Database db, AuditConfig config, SigningKeyStore keys, Clock clock)
            throws AuditUnavailableException {
        return open(db, config, keys, clock, CheckpointAnchor.NONE);
    }

    /**
     * As {@link #open(Database, AuditConfig, SigningKeyStore, Clock)}, and the stored log must extend the checkpoint
     * {@code anchor} holds (else no start, unless the operator accepted the rollback — which is then logged).
     */
    public static AuditLedger open(Database db, AuditConfig config, SigningKeyStore keys, Clock clock,
                                   CheckpointAnchor anchor) throws AuditUnavailableException {
        LedgerStore store = new LedgerStore(db);
        LedgerStore.StoredCheckpoint latest;
        try (Connection c = store.connection()) {
            store.treeSize(c);
            latest = store.latestCheckpoint(c);
        } catch (Exception e) {
            throw new AuditUnavailableException("audit storage is not usable", e);
        }
        NoteSigner signer;
        try {
            signer = NoteSigner.fromSeed(config.origin(), keys.loadOrCreate(NoteSigner::newSeed));
        } catch (RuntimeException e) {
            throw new AuditUnavailableException("audit signing key is not available", e);
        }
        if (latest != null) checkSameIdentity(latest.note(), signer);
        CheckpointAnchor.Accepted accepted;
        try (Connection c = store.connection()) {
            accepted = anchor.check(store, c, signer);
        } catch (java.sql.SQLException e) {
            throw new AuditUnavailableException("audit storage is not usable", e);
        }
        AuditLedger ledger = new AuditLedger(config, store, signer, clock, anchor);
        if (accepted != null) ledger.recordAcceptedRollback(accepted);
        if (config.integrate()) {
            long every = config.checkpointInterval().toMillis();
            ledger.scheduler.scheduleWithFixedDelay(ledger::tick, 0, every, TimeUnit.MILLISECONDS);
        }
        return ledger;
    }

    /** The operator's override is on record: who can see the log can see that it was cut back, from what to what. */
    private void recordAcceptedRollback(CheckpointAnchor.Accepted a) throws AuditUnavailableException {
        append(new AdminEntry(null, clock.instant(), Actor.of("operator:local", java.util.List.of(), "local"), null,
                "audit.rollback.accept", "anchored:" + a.anchoredSize() + ",stored:" + a.storedSize(), null,
                java.util.List.of(), "accepted"));
    }

    /**
     * A log keeps its identity: the published checkpoints must be signed by this key under this origin. Otherwise
     * the next checkpoint would silently start a different log (every verifier holding the old key would fail from
     * then on) — the configured origin was changed, or two processes of one log disagree on it, or the store holds
     * another deployment's log.
     */
    private static void checkSameIdentity(byte[] note, NoteSigner signer) throws AuditUnavailableException {
        int eol = 0;
        while (eol < note.length && eol < 256 && note[eol] != '\n') eol++;
        String stored = new String(note, 0, eol, java.nio.charset.StandardCharsets.US_ASCII)
                .replaceAll("[^\\x21-\\x7e]", "?");
        if (!stored.equals(signer.name())) {
            throw new AuditUnavailableException("the audit log's origin is '" + stored + "' but '" + signer.name()
                    + "' is configured (audit.origin): a log keeps its origin for life");
        }
        try {
            dev.bastion.audit.tlog.NoteVerifier.open(note, java.util.List.of(signer.verifier()));
        } catch (dev.bastion.audit.tlog.TlogException e) {
            throw new AuditUnavailableException("the audit log's latest checkpoint is not signed by this ledger's "
                    + "key: the store holds another log, or the signing key was lost");
        }
    }

    /**
     * Appends an entry and returns its leaf index once it is on stable storage (committed, fsync'd). Concurrent
     * callers share transactions. Throws when the entry could not be stored within the append timeout — then it
     * was not stored, or (if the commit outcome was lost) it was stored but the caller must act as if not. An
     * accept entry ({@link RequestEntry}) whose slow transaction commits after its caller gave up is followed by a
     * complete entry recording the refusal (503 {@code audit_unavailable}).
     */
    public long append(AuditEntry entry) throws AuditUnavailableException {
        LongConsumer late = entry instanceof RequestEntry r ? index -> refusedAfterAll(r, index) : null;
        CompletableFuture<Long> f = committer.submit(entry.toCanonicalJson(), late);
        try {
            return f.get(config.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return giveUp(f, "audit append timed out");
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return giveUp(f, "audit append interrupted");
        }
    }

    /** Gives up on an append — unless its commit finished in the meantime, then that index stands. */
    private static long giveUp(CompletableFuture<Long> f, String why) throws AuditUnavailableException {
        if (f.completeExceptionally(new AuditUnavailableException(why))) throw new AuditUnavailableException(why);
        try {
            return f.getNow(-1L);
        } catch (java.util.concurrent.CompletionException e) {
            throw unavailable(e.getCause());
        }
    }

    /**
     * An accept entry whose append had already failed for its caller (timeout) was stored after all when its slow
     * transaction committed. The caller acted as if it was not stored — it refused the request, 503
     * {@code audit_unavailable}, the backend was never called — so the log says exactly that next to it, rather
     * than leave an accept without an outcome (which would read like a crash).
     */
    private void refusedAfterAll(RequestEntry accept, long index) {
        long latency = Math.max(0, java.time.Duration.between(accept.time(), clock.instant()).toMillis());
        CompleteEntry refused = new CompleteEntry(accept.requestId(), clock.instant(), index,
                ErrorCode.AUDIT_UNAVAILABLE.status(), "denied", ErrorCode.AUDIT_UNAVAILABLE.code(), -1, -1, latency,
                new java.util.TreeMap<>());
        appendAsync(refused).exceptionally(e -> {
            LOG.log(Level.SEVERE, "outcome of late-stored accept entry " + index + " not recorded: "
                    + e.getClass().getSimpleName());
            return -1L;
        });
        LOG.log(Level.WARNING, "accept entry " + index + " was stored after its request had been refused; "
                + "recorded the refusal beside it");
    }

    /**
     * Like {@link #append} without waiting; the future fails with {@link AuditUnavailableException}. The entry may
     * be held back up to a few milliseconds to share the next awaited append's transaction.
     */
    public CompletableFuture<Long> appendAsync(AuditEntry entry) {
        return committer.submitUnawaited(entry.toCanonicalJson());
    }

    /**
     * Records a refused request. Unauthenticated refusals beyond the per-window quota are counted into a
     * {@link RefusalWindowEntry} instead (appended when the window ends); then this returns -1.
     */
    public long refused(RefusedEntry entry) throws AuditUnavailableException {
        return refusals.admit(entry) ? append(entry) : -1;
    }

    /** The tlog-tiles read API and proofs. */
    public AuditLogReader reader() { return reader; }

    /** The log's origin (checkpoint first line and key name). */
    public String origin() { return config.origin(); }

    /** The verifier key ({@code origin+hash+base64}) that anyone needs to verify this log. */
    public String verifierKey() { return signer.verifierKey(); }

    /**
     * Signs {@code text} (ending in a newline) as a C2SP signed note under the log's key, for documents Bastion
     * issues beside the log (the manifest of an access-request export), so one verifier key checks both. The text
     * must not parse as a checkpoint: its second line must not be a number.
     */
    public byte[] signStatement(String text) {
        if (!text.endsWith("\n")) throw new IllegalArgumentException("a statement ends with a newline");
        if (text.lines().skip(1).findFirst().filter(l -> !l.isEmpty() && l.chars().allMatch(Character::isDigit))
                .isPresent()) {
            throw new IllegalArgumentException("a statement must not look like a checkpoint");
        }
        return signer.sign(text);
    }

    /**
     * Runs one integration round now; returns false when another process holds the integrator role. Rounds
     * otherwise run on their own every checkpoint interval.
     */
    public boolean integrateNow() throws AuditUnavailableException {
        try {
            long n;
            do {
                n = integrator.integrateOnce();
            } while (n > 0);
            return n == 0;
        } catch (Exception e) {
            throw new AuditUnavailableException("audit integration failed", e);
        }
    }

    /** Appends summaries of counted refusals whose window is over (or all, when forced). */
    void flushRefusals(boolean force) {
        refusals.drain(force).ifPresent(summary -> {
            try {
                append(summary);
            } catch (AuditUnavailableException e) {
                refusals.restore(summary);
                LOG.log(Level.WARNING, "refusal summary not yet recorded: " + e.getMessage());
            }
        });
    }

    private void tick() {
        flushRefusals(false);
        try {
            integrator.integrateOnce();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "audit integration round failed: " + e.getClass().getName());
        }
    }

    /** Appends and the transactions they took since this ledger opened (metrics, benchmarks). */
    public record Stats(long appended, long transactions) {}

    public Stats stats() {
        long[] s = committer.stats();
        return new Stats(s[0], s[1]);
    }

    boolean isIntegrator() { return integrator.isLeader(); }

    /** Stops the integrator, records pending refusal counts, finishes queued appends and releases the role. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushRefusals(true);
        committer.close();
        if (config.integrate()) {
            try {
                integrateNow();
            } catch (AuditUnavailableException e) {
                LOG.log(Level.WARNING, "final audit integration failed: " + e.getMessage());
            }
        }
        integrator.close();
    }

    private static AuditUnavailableException unavailable(Throwable cause) {
        return cause instanceof AuditUnavailableException a ? a
                : new AuditUnavailableException("audit append failed", cause);
    }
}
