package dev.bastion.inspect;

import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.BlindIndex;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pseudonym vault as records of the {@link BarrierStore}: {@code inspect/pseudonyms/<conversation>/<TYPE>_<n>}
 * holds the original, {@code inspect/pseudonym-values/<conversation>/<value index>} the token it got, both expiring
 * together. The conversation id and the value appear only as blind indexes; originals only as barrier ciphertexts
 * bound to their path. Concurrent requests of one conversation race on {@link BarrierStore#putIfAbsent} and retry,
 * so each value still gets exactly one token and each token one value.
 *
 * <p>Each entry also gets small index records, expiring with it, so privacy operations are prefix scans
 * ({@link VaultRecords}): {@code inspect/pseudonym-labels/<conv>/<name>} (created, expiry, purpose, classification,
 * value index, subject tokens), {@code inspect/pseudonym-created/<epoch ms>/<conv>/<name>} (retention by age) and,
 * for an entry of a request that named data subjects ({@link VaultOwner}), {@code
 * inspect/pseudonym-subjects/<subject token>/<conv>/<name>}. Such an entry's original is sealed under every one of
 * the subjects' keys, so erasing any of them makes it unreadable.
 */
public final class BarrierPseudonymVault implements PseudonymVault {
    private static final HexFormat HEX = HexFormat.of();
    static final String TOKENS = "inspect/pseudonyms/";
    static final String VALUES = "inspect/pseudonym-values/";
    static final String LABELS = "inspect/pseudonym-labels/";
    static final String CREATED = "inspect/pseudonym-created/";
    static final String SUBJECTS = "inspect/pseudonym-subjects/";
    static final List<String> PREFIXES = List.of(TOKENS, VALUES, LABELS, CREATED, SUBJECTS);

    private final BarrierStore store;
    private final BlindIndex blindIndex;
    private final Clock clock;
    private final Duration ttl;

    public BarrierPseudonymVault(BarrierStore store, BlindIndex blindIndex, Clock clock, Duration ttl) {
        this.store = store.forSubjects(List.of()); // reads originals sealed for subjects too
        this.blindIndex = blindIndex;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value) {
        return tokenFor(conversation, type, value, null);
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value, VaultOwner owner) {
        BarrierStore writer = owner == null ? store : owner.store();
        String conv = index("inspect/conversation", conversation);
        String valueIndex = index("inspect/value/" + conv, type.name() + '\u0000' + value);
        String valuePath = VALUES + conv + "/" + valueIndex;
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<byte[]> existing = store.get(valuePath);
            if (existing.isPresent()) return new String(existing.get(), StandardCharsets.UTF_8);
            Instant now = clock.instant();
            Instant expires = now.plus(ttl);
            String name = type.name() + "_" + nextNumber(conv, type);
            String tokenPath = TOKENS + conv + "/" + name;
            if (!writer.putIfAbsent(tokenPath, value.getBytes(StandardCharsets.UTF_8), expires)) continue; // number taken
            Label label = new Label(now.toEpochMilli(), expires.toEpochMilli(), owner == null ? null : owner.purpose(),
                    owner == null ? null : owner.classification(), valueIndex,
                    owner == null ? List.of() : owner.subjects());
            store.putAll(indexRecords(conv, name, label), expires);
            String token = "<" + name + ">";
            if (store.putIfAbsent(valuePath, token.getBytes(StandardCharsets.UTF_8), expires)) return token;
            // another request gave this value a token first: use theirs (the value record is theirs, kept)
            store.delete(tokenPath);
            for (String path : indexRecords(conv, name, label).keySet()) store.delete(path);
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
        int n = 0;
        for (String prefix : PREFIXES) {
            int purged = store.purgeExpired(prefix);
            if (prefix.equals(TOKENS)) n = purged;
        }
        return n;
    }

    /** The records that let privacy operations find an entry by age, labels and subject. */
    private static Map<String, byte[]> indexRecords(String conv, String name, Label label) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(LABELS + conv + "/" + name, label.bytes());
        out.put(CREATED + Label.millis(label.createdAt()) + "/" + conv + "/" + name, new byte[0]);
        for (String s : label.subjects()) out.put(SUBJECTS + s + "/" + conv + "/" + name, new byte[0]);
        return out;
    }

    /** Deletes an entry and its index records; true when its original was there. */
    boolean delete(String conv, String name, Label label) {
        boolean had = store.delete(TOKENS + conv + "/" + name);
        if (label != null) {
            store.delete(VALUES + conv + "/" + label.valueIndex());
            for (String path : indexRecords(conv, name, label).keySet()) store.delete(path);
        }
        return had;
    }

    /** An entry's labels, or null when it has none (expired, or written before labels existed). */
    Label label(String conv, String name) {
        return store.get(LABELS + conv + "/" + name).map(Label::parse).orElse(null);
    }

    BarrierStore store() { return store; }

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

    /** What an entry's label record holds (stored sealed; fields separated by NUL, subjects by spaces). */
    record Label(long createdAt, long expiresAt, String purpose, String classification, String valueIndex,
                 List<String> subjects) {
        Label {
            subjects = List.copyOf(subjects);
        }

        byte[] bytes() {
            return String.join("\u0000", Long.toString(createdAt), Long.toString(expiresAt),
                    purpose == null ? "" : purpose, classification == null ? "" : classification, valueIndex,
                    String.join(" ", subjects)).getBytes(StandardCharsets.UTF_8);
        }

        static Label parse(byte[] b) {
            String[] f = new String(b, StandardCharsets.UTF_8).split("\u0000", -1);
            return new Label(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2].isEmpty() ? null : f[2],
                    f[3].isEmpty() ? null : f[3], f[4], f[5].isEmpty() ? List.of() : List.of(f[5].split(" ")));
        }

        /** Epoch milliseconds as a fixed-width path segment, so paths sort by time. */
        static String millis(long t) { return String.format(java.util.Locale.ROOT, "%013d", t); }
    }
}
