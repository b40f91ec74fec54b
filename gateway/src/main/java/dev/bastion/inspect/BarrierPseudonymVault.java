package dev.bastion.inspect;

import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.BlindIndex;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The pseudonym vault as records of the {@link BarrierStore}: {@code inspect/pseudonyms/<conversation>/<TYPE>_<n>}
 * holds the original, {@code inspect/pseudonym-values/<conversation>/<value index>} the token it got, both expiring
 * together. The conversation id and
 * the value appear only as blind indexes; originals only as barrier ciphertexts bound to their path. Concurrent
 * requests of one conversation race on {@link BarrierStore#putIfAbsent} and retry, so each value still gets exactly
 * one token and each token one value.
 */
public final class BarrierPseudonymVault implements PseudonymVault {
    private static final HexFormat HEX = HexFormat.of();
    static final String TOKENS = "inspect/pseudonyms/";
    static final String VALUES = "inspect/pseudonym-values/";

    private final BarrierStore store;
    private final BlindIndex blindIndex;
    private final Clock clock;
    private final Duration ttl;

    public BarrierPseudonymVault(BarrierStore store, BlindIndex blindIndex, Clock clock, Duration ttl) {
        this.store = store;
        this.blindIndex = blindIndex;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value) {
        String conv = index("inspect/conversation", conversation);
        String valuePath = VALUES + conv + "/" + index("inspect/value/" + conv, type.name() + '\u0000' + value);
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<byte[]> existing = store.get(valuePath);
            if (existing.isPresent()) return new String(existing.get(), StandardCharsets.UTF_8);
            Instant expires = clock.instant().plus(ttl);
            String name = type.name() + "_" + nextNumber(conv, type);
            String tokenPath = TOKENS + conv + "/" + name;
            if (!store.putIfAbsent(tokenPath, value.getBytes(StandardCharsets.UTF_8), expires)) continue; // number taken
            String token = "<" + name + ">";
            if (store.putIfAbsent(valuePath, token.getBytes(StandardCharsets.UTF_8), expires)) return token;
            store.delete(tokenPath); // another request gave this value a token first: use theirs
        }
        throw new IllegalStateException("pseudonym vault: too many concurrent conflicts");
    }

    @Override
    public String originalFor(String conversation, String token) {
        if (token.length() < 3 || token.charAt(0) != '<' || token.charAt(token.length() - 1) != '>') return null;
        String name = token.substring(1, token.length() - 1);
        if (!name.matches("[A-Z][A-Z_]*_[0-9]{1,9}")) return null;
        String conv = index("inspect/conversation", conversation);
        return store.get(TOKENS + conv + "/" + name).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public int purgeExpired() {
        store.purgeExpired(VALUES);
        return store.purgeExpired(TOKENS);
    }

    /** One more than the highest live number of this type: a live token never comes to mean someone else. */
    private int nextNumber(String conv, EntityType type) {
        String prefix = TOKENS + conv + "/" + type.name() + "_";
        int max = 0;
        for (String path : store.list(prefix)) {
            String n = path.substring(prefix.length());
            if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() <= 9) max = Math.max(max, Integer.parseInt(n));
        }
        return max + 1;
    }

    private String index(String path, String value) {
        return HEX.formatHex(blindIndex.of(path, value.getBytes(StandardCharsets.UTF_8)));
    }
}
