package dev.bastion.privacy;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.policy.ConsentFacts;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Transactions;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consent and purpose registry: per subject and purpose, the lawful basis in force (granted or withdrawn,
 * evidence, expiry), and the CCPA opt-out of sale/sharing. Reads for requests come from a per-replica cache that the
 * {@link ChangeFeed} empties on every replica before a writer returns ("consent" topic), so a withdrawal holds from
 * the next request on every replica; a replica whose feed is not fresh must refuse ({@link #fresh()}).
 */
public final class ConsentRegistry {
    public static final String TOPIC = "consent";

    /** What the cache keeps per subject token: purpose → in-force window, and the opt-out. */
    private record View(Map<String, Grant> grants, boolean saleOptOut) {}

    private record Grant(boolean granted, LawfulBasis basis, long expiresAt) {
        boolean inForce(long now) { return granted && (expiresAt == 0 || expiresAt > now); }
    }

    private final PrivacyStore store;
    private final SubjectTokens tokens;
    private final BarrierStore records;
    private final ChangeFeed feed;
    private final Clock clock;
    private final ConcurrentHashMap<String, View> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** @param records where consent evidence is kept, under the subject's own key */
    public ConsentRegistry(PrivacyStore store, SubjectTokens tokens, BarrierStore records, ChangeFeed feed, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.records = records;
        this.feed = feed;
        this.clock = clock;
        // before anything is cached: a change committed meanwhile is then delivered afterwards
        feed.subscribe(TOPIC, version -> forgetAll());
    }

    /** False while this replica cannot be sure it has seen every change: requests naming subjects are refused. */
    public boolean fresh() { return feed.isFresh(); }

    public SubjectTokens tokens() { return tokens; }

    /** The barrier's record store (consent evidence here; the consent stage's vault owner writes through it). */
    BarrierStore records() { return records; }

    // ---- requests ----

    /** What the registry holds for these subject tokens and this purpose (empty purpose: nobody has a basis). */
    public ConsentFacts check(List<String> subjectTokens, String purpose, Instant at) {
        if (subjectTokens.isEmpty()) return ConsentFacts.NO_SUBJECTS;
        long now = at.toEpochMilli();
        int without = 0;
        boolean optOut = false;
        TreeSet<String> bases = null;
        for (String token : subjectTokens) {
            View v = view(token);
            optOut |= v.saleOptOut();
            Grant g = purpose == null ? null : v.grants().get(purpose);
            if (g == null || !g.inForce(now)) {
                without++;
            } else {
                if (bases == null) bases = new TreeSet<>();
                bases.add(g.basis().wire());
            }
        }
        return new ConsentFacts(subjectTokens.size(), without, bases == null ? List.of() : List.copyOf(bases), optOut);
    }

    private View view(String token) {
        View v = cache.get(token);
        if (v != null) return v;
        long g = generation.get();
        Map<String, Grant> grants = new HashMap<>();
        for (PrivacyStore.ConsentRow r : store.consents(token)) {
            LawfulBasis basis = LawfulBasis.parse(r.basis()).orElse(null);
            if (basis == null) continue; // an unknown basis grants nothing
            grants.put(r.purpose(), new Grant(r.granted(), basis, r.expiresAt() == null ? 0 : r.expiresAt()));
        }
        boolean optOut = store.subject(token).map(PrivacyStore.SubjectRow::saleOptOut).orElse(false);
        v = new View(Map.copyOf(grants), optOut);
        cache.put(token, v);
        if (generation.get() != g) cache.remove(token, v); // loaded before a change this replica has applied
        return v;
    }

    private void forgetAll() {
        generation.incrementAndGet();
        cache.clear();
        tokens.forget();
    }

    // ---- registry writes (audited by the caller) ----

    /** The outcome of a write: the subject's token and whether every live replica applied it. */
    public record Written(List<String> subjects, int records, ChangeFeed.Propagation propagation) {}

    /** Records grants and withdrawals in one transaction, then waits until every live replica applied them. */
    public Written record(List<ConsentChange> changes, String by) {
        long now = clock.millis();
        Map<String, String> tokenOf = new HashMap<>();
        List<PrivacyStore.ConsentRow> rows = new ArrayList<>(changes.size());
        for (ConsentChange ch : changes) {
            String token = tokenOf.computeIfAbsent(ch.subjectId(), tokens::token);
            // the evidence may name the person: it is kept in the barrier's store under the subject's own key
            if (ch.evidence() == null) records.delete(evidencePath(token, ch.purpose()));
            else records.forSubject(ch.subjectId()).put(evidencePath(token, ch.purpose()),
                    ch.evidence().getBytes(StandardCharsets.UTF_8));
            rows.add(new PrivacyStore.ConsentRow(token, ch.purpose(), ch.granted(), ch.basis().wire(), null,
                    ch.expiresAt() == null ? null : ch.expiresAt().toEpochMilli(), now, by));
        }
        long version = write(c -> {
            for (PrivacyStore.ConsentRow r : rows) store.upsert(c, r);
        });
        return new Written(List.copyOf(new TreeSet<>(tokenOf.values())), rows.size(), settle(version));
    }

    /** Sets or clears the subject's CCPA opt-out of sale/sharing. */
    public Written saleOptOut(String subjectId, boolean optOut) {
        String token = tokens.token(subjectId);
        long now = clock.millis();
        long version = write(c -> store.saleOptOut(c, token, optOut, now));
        return new Written(List.of(token), 1, settle(version));
    }

    interface Tx { void run(Connection c) throws SQLException; }

    /** Runs {@code tx} and bumps the topic in the same transaction; returns the new version. */
    long write(Tx tx) {
        return Transactions.run(store.db().dataSource(), "consent registry write", c -> {
            tx.run(c);
            return feed.publish(c, TOPIC);
        });
    }

    /** This replica forgets at once; then the writer waits for the others. */
    ChangeFeed.Propagation settle(long version) {
        forgetAll();
        return feed.awaitApplied(TOPIC, version);
    }

    // ---- registry reads (for the API, the CLI and access requests) ----

    /** The subject's records with their evidence, or empty when the subject has no live key. */
    public Optional<List<Consent>> of(String subjectId) {
        Optional<Barrier.SubjectToken> t = tokens.existing(subjectId);
        return t.map(token -> store.consents(token.token()).stream().map(this::consent).toList());
    }

    /**
     * A page of the registry, newest change first, optionally one purpose and/or state; {@code after} is the
     * {@link #cursor} of the previous page's last record.
     */
    public List<Consent> page(String purpose, Boolean granted, String after, int limit) {
        Long at = null;
        String key = null;
        if (after != null) {
            int colon = after.indexOf(':');
            try {
                at = Long.parseLong(after.substring(0, Math.max(0, colon)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cursor");
            }
            key = after.substring(colon + 1);
        }
        return store.page(purpose, granted == null ? null : granted ? "granted" : "withdrawn", at, key, limit)
                .stream().map(this::consent).toList();
    }

    /** Where the next page starts after {@code last}. */
    public static String cursor(Consent last) {
        return last.updatedAt().toEpochMilli() + ":" + last.subject() + "/" + last.purpose();
    }

    private Consent consent(PrivacyStore.ConsentRow r) {
        String evidence = records.get(evidencePath(r.subject(), r.purpose()))
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        return new Consent(r.subject(), r.purpose(), r.granted(), LawfulBasis.parse(r.basis()).orElseThrow(),
                evidence, r.expiresAt() == null ? null : Instant.ofEpochMilli(r.expiresAt()),
                Instant.ofEpochMilli(r.updatedAt()), r.updatedBy());
    }

    /** Where a consent's evidence is kept: {@code privacy/consents/<token>/<purpose>} (hex when not a path segment). */
    static String evidencePath(String token, String purpose) {
        return EVIDENCE + token + "/" + (purpose.matches("[A-Za-z0-9._:@=+-]{1,200}") && !purpose.matches("\\.+")
                ? purpose : "x-" + java.util.HexFormat.of().formatHex(purpose.getBytes(StandardCharsets.UTF_8)));
    }

    static final String EVIDENCE = "privacy/consents/";

    /** Deletes every consent evidence of the subject (erasure; their key is shredded right after). */
    void deleteEvidence(String token) {
        records.deleteAll(EVIDENCE + token + "/");
    }

    /** Deletes the evidence of one consent record (retention removed the record). */
    void deleteEvidence(String token, String purpose) {
        records.delete(evidencePath(token, purpose));
    }
}
