package dev.bastion.identity;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.Database;
import dev.bastion.store.ServerState;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Creates, lists, revokes and checks API keys. Secrets are shown once at creation and stored only as
 * HMAC-SHA-256 under a server key, compared in constant time. Records are cached briefly so the hot path does no
 * database round trip; a revocation in this process takes effect at once, one on another replica within
 * {@link #CACHE_TTL}.
 */
public final class ApiKeyService {
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final String BOOTSTRAP_MARKER = "identity.bootstrap-admin-issued";
    private static final int MAX_CACHED = 100_000;

    private final ApiKeyStore store;
    private final ServerState state;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<byte[]> hmacKeySource;
    private volatile SecretKeySpec hmacKey;
    private final ConcurrentLinkedQueue<Mac> macs = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param hmacKeySource the 32-byte hashing key, shared by every replica; kept behind the storage barrier, so it
     *                      is fetched on first use (a sealed barrier makes that use fail with 503 {@code sealed})
     */
    public ApiKeyService(Database db, ServerState state, Supplier<byte[]> hmacKeySource, Clock clock,
                         SecureRandom random) {
        this.store = new ApiKeyStore(db);
        this.state = state;
        this.hmacKeySource = hmacKeySource;
        this.clock = clock;
        this.random = random;
    }

    /** A new key: the record as stored, and the full key string, which is never retrievable again. */
    public record Created(ApiKeyRecord record, String key) {
        @Override
        public String toString() { return "Created[" + record.keyId() + ", <redacted>]"; }
    }

    public Created create(String name, List<String> roles, Map<String, Object> attributes, List<String> models,
                          Instant expiresAt, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("name must be 1 to 200 characters", "name"));
        }
        String keyId = ApiKeyFormat.newKeyId(random);
        String secret = ApiKeyFormat.newSecret(random);
        ApiKeyRecord record = new ApiKeyRecord(keyId, name, roles, attributes, models, clock.instant(), expiresAt,
                null, createdBy);
        store.insert(record, hash(secret));
        return new Created(record, ApiKeyFormat.format(keyId, secret));
    }

    public List<ApiKeyRecord> list() { return store.list(); }

    public Optional<ApiKeyRecord> find(String keyId) {
        ApiKeyStore.Stored s = store.find(keyId);
        return s == null ? Optional.empty() : Optional.of(s.record());
    }

    public boolean revoke(String keyId) {
        boolean changed = store.revoke(keyId, clock.instant());
        cache.remove(keyId);
        return changed;
    }

    /**
     * Creates the first admin key when none was ever issued (tracked by a marker, so deleting or revoking that key
     * does not make a restart mint a new one). Returns the key to print once, or empty.
     */
    public Optional<Created> bootstrapAdminIfFirstStart() {
        if (state.get(BOOTSTRAP_MARKER) != null) return Optional.empty();
        if (!state.putIfAbsent(BOOTSTRAP_MARKER, clock.instant().toString().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty(); // another replica won the race
        }
        return Optional.of(create("bootstrap-admin", List.of("admin"), Map.of(), List.of(), null, "bastion"));
    }

    /** True when the bearer token has the shape of a Bastion API key (so other authenticators can skip it). */
    public static boolean isApiKey(String token) {
        return ApiKeyFormat.looksLikeKey(token);
    }

    /** Checks a presented key; returns the principal or throws a 401 problem. */
    public Principal authenticate(String presented) {
        ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(presented);
        if (parsed == null) throw new ProblemException(ErrorCode.INVALID_CREDENTIALS, "invalid API key");
        Cached entry = lookup(parsed.keyId());
        if (entry.stored == null || !MessageDigest.isEqual(entry.stored.secretHash(), hash(parsed.secret()))) {
            throw new ProblemException(ErrorCode.INVALID_CREDENTIALS, "invalid API key");
        }
        ApiKeyRecord r = entry.stored.record();
        if (r.revoked()) throw new ProblemException(ErrorCode.REVOKED_CREDENTIALS, "API key has been revoked");
        if (r.expiredAt(clock.instant())) throw new ProblemException(ErrorCode.EXPIRED_CREDENTIALS, "API key has expired");
        return entry.principal;
    }

    private Cached lookup(String keyId) {
        long now = System.nanoTime();
        Cached c = cache.get(keyId);
        if (c != null && now - c.loadedAt < CACHE_TTL.toNanos()) return c;
        ApiKeyStore.Stored stored = store.find(keyId);
        Cached fresh = new Cached(stored, stored == null ? null : principalOf(stored.record()), now);
        if (cache.size() >= MAX_CACHED) cache.clear(); // crude bound: unknown-id floods cannot grow memory
        cache.put(keyId, fresh);
        return fresh;
    }

    private static Principal principalOf(ApiKeyRecord r) {
        Principal.Type type = r.roles().contains("service") ? Principal.Type.SERVICE : Principal.Type.USER;
        return new Principal("key:" + r.keyId(), type, new HashSet<>(r.roles()), r.attributes(),
                Principal.AuthMethod.API_KEY, new HashSet<>(r.models()));
    }

    private SecretKeySpec hmacKey() {
        SecretKeySpec key = hmacKey;
        if (key == null) {
            byte[] raw = hmacKeySource.get();
            key = new SecretKeySpec(raw, "HmacSHA256");
            java.util.Arrays.fill(raw, (byte) 0);
            hmacKey = key;
        }
        return key;
    }

    private byte[] hash(String secret) {
        Mac mac = macs.poll();
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(hmacKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }
        byte[] digest = mac.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
        macs.offer(mac);
        return digest;
    }

    private record Cached(ApiKeyStore.Stored stored, Principal principal, long loadedAt) {}
}
