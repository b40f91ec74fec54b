package dev.bastion.policy;

import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The policy as shared state of every replica: versions in the database ({@code policy_versions}: text, digest,
 * author, time, how it came), the highest one running everywhere. The configured file — or the shipped default — only
 * seeds the first version of a new store. A change (a file reload, an edit over the API, a rollback) compiles first,
 * is written as a new version in one transaction with the change feed's {@code policy} topic, runs here at once, and
 * the writer then waits until every live replica runs it (or stopped being fresh, and so refuses).
 *
 * <p>Every replica subscribes to the {@code policy} topic before it loads the latest version, so no change is missed
 * between the two; a version that does not compile on a replica (another build mid-upgrade) leaves that replica's
 * feed not fresh: its policy decisions refuse (503 {@code policy_unavailable}) rather than run an old policy.
 */
public final class PolicyStore {
    private static final Logger LOG = Logger.getLogger(PolicyStore.class.getName());
    public static final String TOPIC = "policy";
    private static final long LOCK_KEY = 0x706f6c6963790001L; // "policy" + 1: serialises writers on PostgreSQL
    private static final String COLUMNS = "version, digest, rules, author, created_at, source, comment";

    /** One version's metadata. */
    public record Version(long version, String digest, int rules, String author, Instant createdAt, String source,
                          String comment) {}

    /** A version with its policy text. */
    public record Stored(Version version, String text) {}

    /** What a write did: the result as a reload reports it, the version now running, and its propagation. */
    public record Change(ReloadResult result, long version, ChangeFeed.Propagation propagation) {}

    private final Database db;
    private final ChangeFeed feed;
    private final PolicyHolder holder;
    private final Clock clock;

    private PolicyStore(Database db, ChangeFeed feed, PolicyHolder holder, Clock clock) {
        this.db = db;
        this.feed = feed;
        this.holder = holder;
        this.clock = clock;
    }

    /**
     * Subscribes to changes, seeds the store with {@code holder}'s policy if it has no version yet, and makes the
     * latest version run in {@code holder}.
     *
     * @param seedText the text of the policy {@code holder} was opened with (the file or the shipped default)
     */
    public static PolicyStore open(Database db, ChangeFeed feed, PolicyHolder holder, String seedText, Clock clock) {
        PolicyStore store = new PolicyStore(db, feed, holder, clock);
        feed.subscribe(TOPIC, version -> store.loadLatest());
        store.seed(seedText, holder.current());
        Stored latest = store.loadLatest();
        if (!latest.version().digest().equals(Policy.digest(seedText))) {
            LOG.info("policy: running version " + latest.version().version() + " (" + latest.version().digest()
                    + ") from the database; the configured file differs and only seeded the first version "
                    + "(POST /bastion/v1/policy/reload makes it a new version)");
        }
        holder.storedIn(store, feed::isFresh);
        return store;
    }

    /** The version of the policy running on this replica. */
    public long runningVersion() { return holder.version(); }

    /**
     * Compiles {@code text} and, when it differs from the latest version, writes it as the next version and runs it.
     *
     * @param expectedVersion the version the author changed (optimistic concurrency), or null to write regardless
     * @throws PolicyConflictException when {@code expectedVersion} is no longer the latest
     */
    public Change write(String text, String author, String source, String comment, Long expectedVersion) {
        return write("policy", text, author, source, comment, expectedVersion);
    }

    /** @param name what compile errors call the text ({@code file:line:column}) */
    private Change write(String name, String text, String author, String source, String comment, Long expectedVersion) {
        Policy next;
        try {
            next = Policy.parse(name, text);
        } catch (PolicyCompileException e) {
            return new Change(new ReloadResult.Rejected(holder.current().digest(), e.errors()), holder.version(), null);
        }
        long version;
        long topicVersion;
        String previous;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (db.isPostgres()) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        ps.setLong(1, LOCK_KEY);
                        ps.execute();
                    }
                }
                Version latest = latest(c);
                if (expectedVersion != null && latest.version() != expectedVersion) {
                    c.rollback();
                    throw new PolicyConflictException(latest.version());
                }
                if (latest.digest().equals(next.digest())) {
                    c.rollback();
                    return new Change(new ReloadResult.Unchanged(next.digest()), latest.version(), null);
                }
                version = latest.version() + 1;
                previous = latest.digest();
                insert(c, version, text, next, author, source, comment);
                topicVersion = feed.publish(c, TOPIC);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("write policy version", e);
        }
        holder.install(next, version);
        LOG.info("policy version " + version + " by " + author + " (" + source + "): " + previous + " -> " + next.digest());
        ChangeFeed.Propagation p = feed.awaitApplied(TOPIC, topicVersion);
        return new Change(new ReloadResult.Applied(previous, next.digest(), next.ruleCount()), version, p);
    }

    /** Reads the configured file again and writes it as a new version when it changed. */
    public Change reloadFile(Path file, String author) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Change(new ReloadResult.Rejected(holder.current().digest(), List.of(new PolicyError(
                    file.toString(), 0, 0, "cannot read file: " + e.getClass().getSimpleName()))), holder.version(), null);
        }
        Change change = write(file.toString(), text, author, "reload", null, null);
        holder.recordResult(change.result());
        return change;
    }

    /** Versions newest first, below {@code before} (exclusive; {@code Long.MAX_VALUE} for the newest), at most {@code limit}. */
    public List<Version> versions(long before, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM policy_versions WHERE version < ? ORDER BY version DESC LIMIT ?")) {
            ps.setLong(1, before);
            ps.setInt(2, limit);
            List<Version> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(version(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("list policy versions", e);
        }
    }

    /** One version with its text. */
    public Optional<Stored> get(long version) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + ", body FROM policy_versions WHERE version = ?")) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(version(rs), rs.getString("body"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("read policy version", e);
        }
    }

    /** Runs the latest stored version here (the change feed's subscriber, and at start). */
    private Stored loadLatest() {
        Stored latest;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + ", body FROM policy_versions ORDER BY version DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the policy store has no version");
            latest = new Stored(version(rs), rs.getString("body"));
        } catch (SQLException e) {
            throw new StoreException("read the latest policy version", e);
        }
        if (latest.version().version() == holder.version()) return latest;
        try {
            // the common start: the latest version is the policy just opened from the file; compile it only once
            Policy running = holder.current();
            Policy p = running.digest().equals(latest.version().digest()) ? running : Policy.parse("policy", latest.text());
            ReloadResult.Applied applied = new ReloadResult.Applied(holder.current().digest(), p.digest(), p.ruleCount());
            holder.install(p, latest.version().version());
            holder.recordResult(applied);
        } catch (PolicyCompileException e) {
            // a version this build cannot compile: refuse (the feed marks this replica not fresh) rather than run old rules
            throw new IllegalStateException("policy version " + latest.version().version() + " does not compile here", e);
        }
        return latest;
    }

    private void seed(String text, Policy opened) {
        Policy compiled;
        try {
            compiled = Policy.digest(text).equals(opened.digest()) ? opened : Policy.parse("policy", text);
        } catch (PolicyCompileException e) {
            throw new IllegalStateException("the policy seed does not compile", e);
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO policy_versions ("
                + COLUMNS + ", body) VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING")) {
            ps.setString(1, compiled.digest());
            ps.setInt(2, compiled.ruleCount());
            ps.setString(3, "system:seed");
            ps.setLong(4, clock.millis());
            ps.setString(5, "seed");
            ps.setString(6, null);
            ps.setString(7, text);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("seed the policy store", e);
        }
    }

    private Version latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM policy_versions ORDER BY version DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the policy store has no version");
            return version(rs);
        }
    }

    private void insert(Connection c, long version, String text, Policy p, String author, String source,
                        String comment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_versions (" + COLUMNS
                + ", body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, version);
            ps.setString(2, p.digest());
            ps.setInt(3, p.ruleCount());
            ps.setString(4, author);
            ps.setLong(5, clock.millis());
            ps.setString(6, source);
            ps.setString(7, comment);
            ps.setString(8, text);
            ps.executeUpdate();
        }
    }

    private static Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getLong("version"), rs.getString("digest"), rs.getInt("rules"), rs.getString("author"),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("source"), rs.getString("comment"));
    }
}
