package dev.bastion.identity;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified tokens, so a repeated token costs one hash lookup instead of a signature check. Keyed by the exact token
 * string; an entry is used only while the token is unexpired and the key set has not changed since it was verified
 * (a key removed by the provider revokes its cached tokens at the next key-set refresh). Bounded: at capacity,
 * expired entries are dropped, and if that is not enough the cache starts over.
 */
final class JwtTokenCache {
    record Entry(JwtResult.Verified result, long validUntilMillis, long generation) {}

    private final int capacity;
    private final ConcurrentHashMap<String, Entry> entries;

    JwtTokenCache(int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.max(16, Math.min(capacity, 1 << 16)));
    }

    Entry get(String token) { return capacity == 0 ? null : entries.get(token); }

    void put(String token, Entry entry, long now) {
        if (capacity == 0) return;
        if (entries.size() >= capacity) {
            entries.values().removeIf(e -> e.validUntilMillis() <= now);
            if (entries.size() >= capacity) entries.clear();
        }
        entries.put(token, entry);
    }

    void remove(String token) { entries.remove(token); }

    int size() { return entries.size(); }
}
