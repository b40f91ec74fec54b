package dev.bastion.privacy;

import dev.bastion.barrier.Barrier;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subject id → keyed token, cached: computing a token needs the subject's key (a store read) and two HMACs, and a
 * request naming a subject must cost microseconds. The cache lives in memory only and is dropped whenever the
 * privacy topic changes anywhere (an erasure destroys a key), so no replica goes on issuing a dead token. Each
 * subject is recorded as seen (first/last) at most once a day per replica.
 */
public final class SubjectTokens {
    private static final int MAX_CACHED = 100_000;
    private static final long DAY_MILLIS = 86_400_000L;

    private record Cached(Barrier.SubjectToken token, long seenDay) {}

    private final SubjectKeys keys;
    private final PrivacyStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public SubjectTokens(SubjectKeys keys, PrivacyStore store, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
    }

    /** The subject's token, creating their key (and registering them as seen) on first use. */
    public String token(String subjectId) {
        long today = clock.millis() / DAY_MILLIS;
        Cached c = cache.get(subjectId);
        if (c != null && c.seenDay() == today) return c.token().token();
        long g = generation.get();
        Barrier.SubjectToken t = c != null ? c.token() : keys.token(subjectId);
        store.seen(t.token(), t.keyId(), clock.millis());
        remember(subjectId, new Cached(t, today), g);
        return t.token();
    }

    /** The token and key id of a subject that has a live key; empty otherwise (nothing is created). */
    public Optional<Barrier.SubjectToken> existing(String subjectId) {
        Cached c = cache.get(subjectId);
        if (c != null) return Optional.of(c.token());
        return keys.existing(subjectId);
    }

    /** Drops every cached token and key (after a change published by any replica). */
    public void forget() {
        generation.incrementAndGet();
        cache.clear();
        keys.forget();
    }

    /** A value computed before a concurrent {@link #forget} must not survive it. */
    private void remember(String subjectId, Cached value, long g) {
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(subjectId, value);
        if (generation.get() != g) cache.remove(subjectId, value);
    }
}
