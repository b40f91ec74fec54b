package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Bastion processes (two JVMs) append to one PostgreSQL database at the same time: one integrator at a time,
 * one consistent verifiable log holding every entry of both exactly once, and when the integrating process is
 * killed (SIGKILL) the other takes over.
 */
class TwoProcessLedgerTest {
    private static final int PER_PROCESS = 500;

    @Test
    void twoProcessesProduceOneVerifiableLogAndTheIntegratorRoleFailsOver() throws Exception {
        Path stderr = Files.createTempFile("bastion-second-process", ".log");
        try (var store = TestStores.postgres()) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), SecondProcess.class.getName(),
                    store.config().url(), store.config().user(), store.config().password().value(),
                    Integer.toString(PER_PROCESS))
                    .redirectError(stderr.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
                assertThat(out.readLine()).as("second process integrates first").isEqualTo("READY true");

                try (var ledger = AuditLedger.open(store.db(), AuditConfig.defaults(AuditLedgerTest.ORIGIN),
                        new PlaintextSigningKeyStore(store.db()), Clock.systemUTC())) {
                    assertThat(ledger.integrateNow()).as("only one integrator at a time").isFalse();
                    in.println("GO");
                    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        List<Future<Long>> fs = new ArrayList<>();
                        for (int i = 0; i < PER_PROCESS; i++) {
                            String id = "p1-" + i;
                            fs.add(pool.submit(() -> ledger.append(AuditEntryTest.request(id))));
                        }
                        for (Future<Long> f : fs) f.get();
                    }
                    assertThat(out.readLine()).isEqualTo("APPENDED");
                    // the second process signs checkpoints over entries of both
                    Await.until(Duration.ofSeconds(10), () -> AuditLedgerTest.publishedSize(ledger) > 0);
                    assertThat(ledger.integrateNow()).isFalse();

                    child.destroyForcibly().waitFor(); // SIGKILL: its session, and with it the lock, dies
                    // as soon as PostgreSQL has ended the dead session, this process becomes the integrator
                    Await.until(Duration.ofSeconds(15), ledger::integrateNow);
                    assertThat(ledger.append(AuditEntryTest.request("p1-after-failover"))).isEqualTo(2L * PER_PROCESS);
                    assertThat(ledger.integrateNow()).isTrue();
                    assertThat(AuditLedgerTest.publishedSize(ledger)).isEqualTo(2L * PER_PROCESS + 1);

                    var result = LogVerifier.forKey(ledger.verifierKey()).verify(LogSource.of(ledger.reader()));
                    assertThat(result).isInstanceOf(VerificationResult.Verified.class);
                    Set<String> ids = new HashSet<>();
                    ObjectMapper json = new ObjectMapper();
                    for (long i = 0; i < 2L * PER_PROCESS; i++) {
                        ids.add(json.readTree(ledger.reader().entry(i).orElseThrow()).get("request_id").asText());
                    }
                    assertThat(ids).hasSize(2 * PER_PROCESS).contains("p1-0", "p2-0", "p1-499", "p2-499");
                    assertThat(ledger.reader().entry(2L * PER_PROCESS + 1)).isEmpty();
                }
            } finally {
                child.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
