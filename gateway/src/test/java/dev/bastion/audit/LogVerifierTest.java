package dev.bastion.audit;

import com.sun.net.httpserver.HttpServer;
import dev.bastion.audit.VerificationResult.Failed;
import dev.bastion.audit.VerificationResult.Problem;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier accepts the independent Tessera log and our own exports, and pinpoints tampering: a flipped entry
 * byte, a truncated bundle, a forged checkpoint, a rollback or rewritten history against a trusted checkpoint.
 */
class LogVerifierTest {
    static final String TESSERA_KEY = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
    static final Path TESSERA = TestFiles.testdata().resolve("tlog/tessera-testdata-log");

    private Path dir;

    @BeforeEach
    void copyTessera() throws IOException {
        dir = Files.createTempDirectory("bastion-tlog");
        try (var paths = Files.walk(TESSERA)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = dir.resolve(TESSERA.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @AfterEach
    void cleanUp() {
        TestFiles.deleteTree(dir);
    }

    private static VerificationResult verify(Path log, String key, byte[] trusted) throws Exception {
        return LogVerifier.forKey(key).verify(LogSource.directory(log), trusted);
    }

    private static void assertFailed(VerificationResult r, Problem problem, long index) {
        assertThat(r).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.problem()).as(f.message()).isEqualTo(problem);
            assertThat(f.firstBadIndex()).as(f.message()).isEqualTo(index);
        });
    }

    @Test
    void theIndependentTesseraLogVerifiesAgainstEveryCheckpointItEverPublished() throws Exception {
        assertThat(verify(TESSERA, TESSERA_KEY, null)).isInstanceOfSatisfying(VerificationResult.Verified.class, v -> {
            assertThat(v.checkpoint().size()).isEqualTo(15);
            assertThat(v.entriesChecked()).isEqualTo(15);
        });
        for (int size = 0; size <= 15; size++) {
            byte[] trusted = Files.readAllBytes(TESSERA.resolve("checkpoint." + size));
            assertThat(verify(TESSERA, TESSERA_KEY, trusted).ok()).as("trusted size " + size).isTrue();
        }
    }

    @Test
    void aFlippedByteInAnEntryNamesThatEntry() throws Exception {
        Path bundle = dir.resolve("tile/entries/000.p/15");
        byte[] b = Files.readAllBytes(bundle);
        // entries: "one" "two" "three" "four" "five" "six" "seven" "eit" … ; flip a letter of "eit" (index 7)
        int offset = indexOf(b, "eit".getBytes(StandardCharsets.US_ASCII));
        b[offset + 1] ^= 0x20;
        Files.write(bundle, b);
        assertFailed(verify(dir, TESSERA_KEY, null), Problem.ENTRY_MISMATCH, 7);
    }

    @Test
    void aTruncatedBundleNamesTheFirstMissingEntry() throws Exception {
        Path bundle = dir.resolve("tile/entries/000.p/15");
        byte[] b = Files.readAllBytes(bundle);
        int cut = indexOf(b, "twelf".getBytes(StandardCharsets.US_ASCII)) + 2; // inside entry 11
        Files.write(bundle, java.util.Arrays.copyOf(b, cut));
        assertFailed(verify(dir, TESSERA_KEY, null), Problem.BAD_BUNDLE, 11);
        Files.delete(bundle);
        assertFailed(verify(dir, TESSERA_KEY, null), Problem.MISSING, 0);
    }

    @Test
    void aForgedCheckpointIsRejected() throws Exception {
        Path cp = dir.resolve("checkpoint");
        String note = Files.readString(cp);
        // same signature, claims a different size
        Files.writeString(cp, note.replaceFirst("\n15\n", "\n14\n"));
        assertFailed(verify(dir, TESSERA_KEY, null), Problem.BAD_SIGNATURE, -1);
        // well-formed and validly signed, but by someone else's key under the same name
        NoteSigner mallory = NoteSigner.fromSeed("example.com/log/testdata", NoteSigner.newSeed());
        Files.write(cp, mallory.sign(note.substring(0, note.indexOf("\n\n") + 1)));
        assertFailed(verify(dir, TESSERA_KEY, null), Problem.BAD_SIGNATURE, -1);
        // and the forger's own key cannot make the entries match a root they did not produce
        Files.write(cp, mallory.sign("example.com/log/testdata\n15\n" + "A".repeat(43) + "=\n"));
        assertFailed(verify(dir, mallory.verifierKey(), null), Problem.ROOT_MISMATCH, -1);
    }

    @Test
    void servingAnOlderCheckpointThanOneTrustedIsARollback() throws Exception {
        Files.copy(dir.resolve("checkpoint.10"), dir.resolve("checkpoint"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(verify(dir, TESSERA_KEY, null).ok()).isTrue(); // a consistent older view verifies on its own
        byte[] trusted = Files.readAllBytes(TESSERA.resolve("checkpoint.15"));
        assertFailed(verify(dir, TESSERA_KEY, trusted), Problem.ROLLBACK, 10);
    }

    @Test
    void theOperatorCannotRewriteHistoryEvenWithTheSigningKey() throws Exception {
        byte[] seed = NoteSigner.newSeed();
        SigningKeyStore sameKey = generate -> seed.clone();
        Path honest = Files.createTempDirectory("bastion-honest");
        Path forged = Files.createTempDirectory("bastion-forged");
        try (var a = TestStores.sqlite(); var b = TestStores.sqlite()) {
            byte[] trusted;
            String key;
            try (var ledger = AuditLedger.open(a.db(), AuditLedgerTest.manual(), sameKey, Clock.systemUTC())) {
                inOrder(ledger, 300, -1);
                ledger.integrateNow();
                trusted = ledger.reader().checkpointNote().orElseThrow();
                key = ledger.verifierKey();
                LogExporter.export(ledger.reader(), honest);
            }
            try (var ledger = AuditLedger.open(b.db(), AuditLedgerTest.manual(), sameKey, Clock.systemUTC())) {
                inOrder(ledger, 400, 150);
                ledger.integrateNow();
                LogExporter.export(ledger.reader(), forged);
            }
            assertThat(verify(honest, key, trusted).ok()).isTrue();
            assertThat(verify(forged, key, null).ok()).as("the forged log is self-consistent").isTrue();
            assertFailed(verify(forged, key, trusted), Problem.INCONSISTENT, -1);

            // tampering with a higher-level tile of an otherwise intact export is caught too
            Path tile = honest.resolve("tile/1/000.p/1");
            byte[] t = Files.readAllBytes(tile);
            t[3] ^= 1;
            Files.write(tile, t);
            assertFailed(verify(honest, key, null), Problem.TILE_MISMATCH, 0);
        } finally {
            TestFiles.deleteTree(honest);
            TestFiles.deleteTree(forged);
        }
    }

    @Test
    void verifiesOverHttpFromAnyStaticServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/log/", exchange -> {
            Path file = TESSERA.resolve(exchange.getRequestURI().getPath().substring("/log/".length())).normalize();
            if (!file.startsWith(TESSERA) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/log/";
            assertThat(LogVerifier.forKey(TESSERA_KEY).verify(LogSource.parse(url)).ok()).isTrue();
            assertFailed(LogVerifier.forKey(TESSERA_KEY).verify(LogSource.parse(url + "nothing/")), Problem.MISSING, -1);
        } finally {
            server.stop(0);
        }
    }

    /** Appends r0, r1, … in order (one queue, one writer: submission order is index order), batched. */
    private static void inOrder(AuditLedger ledger, int n, int rewritten) throws Exception {
        for (int i = 0; i < n; i++) ledger.appendAsync(AuditEntryTest.request(i == rewritten ? "rewritten" : "r" + i));
        assertThat(ledger.append(AuditEntryTest.request("last"))).isEqualTo(n);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
