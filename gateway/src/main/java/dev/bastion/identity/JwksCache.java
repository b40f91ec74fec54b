package dev.bastion.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The current key set of one issuer. Refetched after its TTL, and early when a token names an unknown {@code kid} —
 * at most once per {@code minRefetch}, so tokens with random key ids cannot turn Bastion into a flood against the
 * provider. When the provider is unreachable the last good set keeps serving for {@code maxStale} past its TTL.
 * Every change of the published keys bumps the {@link Snapshot#generation()}, which invalidates cached verifications.
 */
final class JwksCache {
    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());
    static final int MAX_KEYS = 100;

    record Snapshot(Map<String, List<JwksKey>> byKid, List<JwksKey> all, Set<String> fingerprint, long generation,
                    long expiresAtMillis) {}

    static final class Unavailable extends Exception {
        Unavailable() { super("key set unavailable", null, false, false); }
    }

    private final JwksSource source;
    private final Clock clock;
    private final long ttl;
    private final long minRefetch;
    private final long maxStale;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong fetches = new AtomicLong();
    private volatile Snapshot snapshot;
    private long lastAttempt;
    private boolean attempted;

    JwksCache(JwksSource source, Clock clock, Duration ttl, Duration minRefetch, Duration maxStale) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl.toMillis();
        this.minRefetch = minRefetch.toMillis();
        this.maxStale = maxStale.toMillis();
    }

    /** The snapshot in force, refreshing it when its TTL has passed. */
    Snapshot current() throws Unavailable {
        Snapshot s = snapshot;
        if (s != null && clock.millis() < s.expiresAtMillis()) return s;
        return refresh(false);
    }

    /** The last snapshot without any refresh (null before the first fetch). */
    Snapshot peek() { return snapshot; }

    /** A token named a key we do not have: fetch again unless we fetched very recently. */
    Snapshot refreshForUnknownKey() throws Unavailable { return refresh(true); }

    long fetchCount() { return fetches.get(); }

    private Snapshot refresh(boolean unknownKey) throws Unavailable {
        lock.lock();
        try {
            long now = clock.millis();
            Snapshot s = snapshot;
            if (!unknownKey && s != null && now < s.expiresAtMillis()) return s;   // refreshed while we waited
            if (attempted && now - lastAttempt < minRefetch) return usable(s, now);
            attempted = true;
            lastAttempt = now;
            fetches.incrementAndGet();
            try {
                Snapshot next = parse(source.fetch(), s, now);
                if (s != null && next.generation() != s.generation()) {
                    LOG.info("key set of " + source.describe() + " changed: " + next.all().size() + " keys");
                }
                snapshot = next;
                return next;
            } catch (IOException | ParseException | RuntimeException e) {
                LOG.warning("key set fetch from " + source.describe() + " failed: " + e.getClass().getSimpleName());
                return usable(s, now);
            }
        } finally {
            lock.unlock();
        }
    }

    private Snapshot usable(Snapshot s, long now) throws Unavailable {
        if (s != null && now < s.expiresAtMillis() + maxStale) return s;
        throw new Unavailable();
    }

    private Snapshot parse(String json, Snapshot previous, long now) throws ParseException {
        var doc = JSONObjectUtils.parse(json);
        var keys = JSONObjectUtils.getJSONObjectArray(doc, "keys");
        if (keys == null) throw new ParseException("no keys", 0);
        if (keys.length > MAX_KEYS) throw new ParseException("too many keys", 0);
        var all = new ArrayList<JwksKey>();
        var byKid = new HashMap<String, List<JwksKey>>();
        var fingerprint = new TreeSet<String>();
        for (var k : keys) {
            JwksKey key;
            try {
                key = JwksKey.of(JWK.parse(k));
            } catch (ParseException | RuntimeException e) {
                continue;                                                    // skip what we cannot use
            }
            if (key == null) continue;
            all.add(key);
            fingerprint.add(key.json());
            if (key.kid() != null) byKid.computeIfAbsent(key.kid(), x -> new ArrayList<>()).add(key);
        }
        long generation = previous == null ? 1
                : previous.fingerprint().equals(fingerprint) ? previous.generation() : previous.generation() + 1;
        byKid.replaceAll((k, v) -> List.copyOf(v));
        return new Snapshot(Map.copyOf(byKid), List.copyOf(all), Set.copyOf(fingerprint), generation, now + ttl);
    }
}
