package dev.bastion.barrier;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "The store never sees plaintext": every SQL text and bound value that passes the JDBC boundary during barrier
 * work is recorded and searched for the known plaintexts, the passphrase and the live key material; afterwards
 * the database itself (the SQLite file and WAL, or every PostgreSQL row of the tables involved) is searched too.
 */
class StoreNeverSeesPlaintextTest {
    static final String[] PLAINTEXTS = {
            "Jane Q. Example, 12 Sample Street, jane@example.org",   // a vault-like record
            "SSN 078-05-1120 belongs to subject 42",                   // a per-subject record
            "hmac-secret-for-api-keys-0123456789abcdef",              // a server secret
    };

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void noKnownPlaintextPassphraseOrKeyReachesTheStore(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            RecordingDataSource spy = new RecordingDataSource(h.db().dataSource());
            try (Connection c = h.db().connection(); var s = c.createStatement()) {
                s.execute("CREATE TABLE test_vault (id TEXT PRIMARY KEY, value " + (h.db().isPostgres() ? "BYTEA" : "BLOB") + ")");
            }
            Barrier b = Barrier.over(spy.dataSource, Clock.systemUTC(), new SecureRandom(), Barrier.Options.DEFAULT);
            b.initialize(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            BarrierStore records = BarrierStore.over(spy.dataSource, b, Clock.systemUTC());
            SecretStore secrets = new SecretStore(records);

            // writes of every kind the server makes, all through the barrier's storage API
            records.put("vault/conv-1/1", utf8(PLAINTEXTS[0]));
            records.forSubject("subject-42").put("vault/conv-1/2", utf8(PLAINTEXTS[1]));
            secrets.put("apikeys/hmac", SecretBytes.copyOf(utf8(PLAINTEXTS[2])));
            SecretBytes signing = secrets.getOrCreate("audit/signing-key", 32, new SecureRandom());
            ByteArrayOutputStream big = new ByteArrayOutputStream();
            for (int i = 0; i < 5000; i++) big.writeBytes(utf8(PLAINTEXTS[0]));
            records.putAll(java.util.Map.of("vault/conv-1/3", big.toByteArray(), "vault/conv-1/4", utf8(PLAINTEXTS[0])),
                    java.time.Instant.now().plusSeconds(60));
            assertThat(records.putIfAbsent("vault/conv-1/5", utf8(PLAINTEXTS[1]), null)).isTrue();
            b.rotate();
            new Rewrapper(b, spy.dataSource, Clock.systemUTC()).run(Rewrapper.RECORDS, 10, Long.MAX_VALUE);

            // what must never be seen: plaintexts, passphrase, every live key, the generated signing key
            List<byte[]> needles = new ArrayList<>();
            for (String p : PLAINTEXTS) needles.add(utf8(p));
            needles.add(utf8(BarrierFixtures.PASSPHRASE));
            Unsealed state = b.openStateForTests();
            needles.add(state.rootCopy());
            for (AesKey k : state.keyring().keys().values()) needles.add(k.copyBytes());
            needles.add(signing.copy());

            assertThat(spy.bound).isNotEmpty();
            assertThat(spy.sql).anyMatch(s -> s.startsWith("INSERT INTO barrier_keys"));
            for (Object value : spy.bound) assertContainsNone("bound value", asBytes(value), needles);
            for (String sql : spy.sql) assertContainsNone("SQL text", utf8(sql), needles);

            // and what is at rest
            for (byte[] dump : dumps(h)) assertContainsNone("stored data", dump, needles);

            // the data is still there and readable through the barrier
            assertThat(secrets.get("apikeys/hmac").orElseThrow().copy()).isEqualTo(utf8(PLAINTEXTS[2]));
            assertThat(records.get("vault/conv-1/2").orElseThrow()).isEqualTo(utf8(PLAINTEXTS[1]));
            assertThat(records.scan("vault/", null, 10)).hasSize(5);

            // the spy and the search do catch a write that bypasses the barrier
            vaultInsert(spy, "bypass", utf8("prefix " + PLAINTEXTS[1]));
            Object last = spy.bound.getLast();
            assertThatThrownBy(() -> assertContainsNone("bypass", asBytes(last), needles))
                    .isInstanceOf(AssertionError.class);
        }
    }

    private static void vaultInsert(RecordingDataSource spy, String id, byte[] ct) throws Exception {
        try (Connection c = spy.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO test_vault (id, value) VALUES (?, ?)")) {
            ps.setString(1, id);
            ps.setBytes(2, ct);
            ps.executeUpdate();
        }
    }

    /** Every cell of the tables involved (PostgreSQL), or the raw database files (SQLite). */
    private static List<byte[]> dumps(TestStores.Handle h) throws Exception {
        List<byte[]> out = new ArrayList<>();
        if (h.db().isPostgres()) {
            for (String table : List.of("barrier_root", "barrier_keys", "barrier_subject_keys", "barrier_records", "test_vault")) {
                try (Connection c = h.db().connection(); ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) for (int i = 1; i <= n; i++) out.add(asBytes(rs.getObject(i)));
                }
            }
        } else {
            Path file = Path.of(h.config().url().substring("jdbc:sqlite:".length()));
            try (Stream<Path> files = Files.list(file.getParent())) {
                for (Path p : files.toList()) out.add(Files.readAllBytes(p));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    static byte[] asBytes(Object v) {
        if (v == null) return new byte[0];
        if (v instanceof byte[] b) return b;
        return utf8(String.valueOf(v));
    }

    /** Raw, hex and base64 forms of each needle; a needle is also matched by its first 16 bytes (partial leaks). */
    static void assertContainsNone(String what, byte[] haystack, List<byte[]> needles) {
        for (byte[] n : needles) {
            byte[] head = java.util.Arrays.copyOf(n, Math.min(16, n.length));
            for (byte[] form : List.of(head, utf8(HexFormat.of().formatHex(head)), utf8(Base64.getEncoder().encodeToString(n).substring(0, 20)))) {
                assertThat(indexOf(haystack, form)).as("%s contains a secret or plaintext", what).isEqualTo(-1);
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
