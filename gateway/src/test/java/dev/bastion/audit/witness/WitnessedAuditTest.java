package dev.bastion.audit.witness;

import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditEntries;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.CheckpointCosignatures;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.audit.tlog.Cosignature;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.Resolver;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import dev.bastion.testing.TestWitness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log witnessed per C2SP tlog-witness against in-test witnesses on real sockets ({@link TestWitness}),
 * on SQLite and PostgreSQL: cosignatures are gathered with consistency proofs, a checkpoint is served only with a
 * quorum, the verifier can require that quorum, and a forked log is refused by a witness that saw the original.
 */
class WitnessedAuditTest {
    private static final String ORIGIN = "witness.test/audit";
    private static final AuditConfig CONFIG = AuditConfig.defaults(ORIGIN).withIntegrate(false);
    // every witness is reached through the egress gate, declared like the server declares configured witnesses
    private final EgressHttp http = new EgressHttp(new EgressGate(EgressGate.Mode.DECLARED, List.of(), Resolver.SYSTEM));
    private final WitnessClient client = new WitnessClient(new EgressWitnessTransport(http), Duration.ofSeconds(5));

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void checkpointIsServedOnlyOnceAQuorumOfWitnessesCosignedIt(StoreConfig.Kind kind) throws Exception {
        byte[] seed = NoteSigner.newSeed();
        NoteVerifier logKey = NoteSigner.fromSeed(ORIGIN, seed).verifier();
        try (var store = TestStores.open(kind);
             var w1 = new TestWitness("w1.test/witness", logKey, Clock.systemUTC());
             var w2 = new TestWitness("w2.test/witness", logKey, Clock.systemUTC());
             var ledger = AuditLedger.open(store.db(), CONFIG, generate -> seed.clone(), Clock.systemUTC())) {
            // a third witness that is down: the quorum of two still holds
            Witness down = new Witness(new Cosignature.Signer("w3.test/witness", NoteSigner.newSeed()).verifier(),
                    URI.create("http://127.0.0.1:9/witness"));
            http.declare(Destination.of(EgressWitnessTransport.PURPOSE, down.submissionPrefix()));
            List<Witness> witnesses = List.of(witness(w1), witness(w2), down);
            List<Cosignature.Verifier> keys = witnesses.stream().map(Witness::key).toList();
            ledger.reader().requireWitnessQuorum(2);
            var publisher = new WitnessPublisher(ledger.reader(), new CheckpointCosignatures(store.db()), witnesses,
                    client);

            append(ledger, 5);
            assertThat(ledger.reader().read("checkpoint")).as("no checkpoint before the quorum cosigned").isEmpty();
            Map<String, WitnessClient.Outcome> first = publisher.publishOnce();
            assertThat(first.get("w1.test/witness")).isInstanceOf(WitnessClient.Outcome.Cosigned.class);
            assertThat(first.get("w2.test/witness")).isInstanceOf(WitnessClient.Outcome.Cosigned.class);
            assertThat(first.get("w3.test/witness")).isInstanceOf(WitnessClient.Outcome.Refused.class);
            assertThat(verify(ledger, keys, 2)).isInstanceOf(VerificationResult.Verified.class);

            // the log grows: the witnesses get the consistency proof from size 5 and cosign again
            append(ledger, 7);
            publisher.publishOnce();
            assertThat(w1.recordedSize(ORIGIN)).isEqualTo(12);
            assertThat(w1.statuses()).containsExactly(200, 200);
            String served = new String(ledger.reader().read("checkpoint").orElseThrow().body(), StandardCharsets.UTF_8);
            assertThat(served).startsWith(ORIGIN + "\n12\n").contains("\u2014 w1.test/witness ", "\u2014 w2.test/witness ");
            assertThat(verify(ledger, keys, 2)).isInstanceOf(VerificationResult.Verified.class);
            var threeOfThree = verify(ledger, keys, 3);
            assertThat(threeOfThree).isInstanceOf(VerificationResult.Failed.class);
            assertThat(((VerificationResult.Failed) threeOfThree).problem())
                    .isEqualTo(VerificationResult.Problem.NOT_WITNESSED);

            // a publisher that forgot what the witnesses saw (a restarted replica) learns it from their 409
            append(ledger, 1);
            var fresh = new WitnessPublisher(ledger.reader(), new CheckpointCosignatures(store.db()),
                    List.of(witness(w1)), client);
            assertThat(fresh.publishOnce().get("w1.test/witness")).isInstanceOf(WitnessClient.Outcome.Cosigned.class);
            assertThat(w1.statuses()).containsExactly(200, 200, 409, 200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aWitnessRefusesAForkedLogWhichThenNeverReachesTheQuorum(StoreConfig.Kind kind) throws Exception {
        // two logs with the same origin and key whose histories differ: an operator rewriting the log
        byte[] seed = NoteSigner.newSeed();
        NoteVerifier logKey = NoteSigner.fromSeed(ORIGIN, seed).verifier();
        try (var honestStore = TestStores.open(kind); var forkStore = TestStores.open(kind);
             var w = new TestWitness("w1.test/witness", logKey, Clock.systemUTC());
             var honest = AuditLedger.open(honestStore.db(), CONFIG, generate -> seed.clone(), Clock.systemUTC());
             var fork = AuditLedger.open(forkStore.db(), CONFIG, generate -> seed.clone(), Clock.systemUTC())) {
            append(honest, 4);
            assertThat(new WitnessPublisher(honest.reader(), new CheckpointCosignatures(honestStore.db()),
                    List.of(witness(w)), client).publishOnce().get("w1.test/witness"))
                    .isInstanceOf(WitnessClient.Outcome.Cosigned.class);

            fork.append(AuditEntries.sample("rewritten-0"));
            append(fork, 5);
            fork.reader().requireWitnessQuorum(1);
            var forkPublisher = new WitnessPublisher(fork.reader(), new CheckpointCosignatures(forkStore.db()),
                    List.of(witness(w)), client);
            WitnessClient.Outcome o = forkPublisher.publishOnce().get("w1.test/witness");
            assertThat(o).isInstanceOfSatisfying(WitnessClient.Outcome.Refused.class,
                    r -> assertThat(r.status()).isEqualTo(422));
            assertThat(w.statuses()).containsExactly(200, 409, 422); // learnt size 4, then the proof failed
            assertThat(w.recordedSize(ORIGIN)).as("the witness kept the honest head").isEqualTo(4);
            assertThat(new CheckpointCosignatures(forkStore.db()).count(6)).isZero();
            assertThat(fork.reader().read("checkpoint")).as("the forked log has no witnessed checkpoint").isEmpty();

            // a fork at the same size as the witnessed head is refused as a conflict
            try (var sameSizeStore = TestStores.open(kind);
                 var sameSize = AuditLedger.open(sameSizeStore.db(), CONFIG, generate -> seed.clone(),
                         Clock.systemUTC())) {
                sameSize.append(AuditEntries.sample("other-0"));
                append(sameSize, 3);
                var p = new WitnessPublisher(sameSize.reader(), new CheckpointCosignatures(sameSizeStore.db()),
                        List.of(witness(w)), client);
                assertThat(p.publishOnce().get("w1.test/witness")).isInstanceOfSatisfying(
                        WitnessClient.Outcome.Refused.class, r -> assertThat(r.status()).isEqualTo(409));
            }
        }
    }

    private Witness witness(TestWitness w) {
        http.declare(Destination.of(EgressWitnessTransport.PURPOSE, w.submissionPrefix()));
        return new Witness(w.key(), w.submissionPrefix());
    }

    private static void append(AuditLedger ledger, int n) throws Exception {
        for (int i = 0; i < n; i++) ledger.append(AuditEntries.sample("req-" + System.nanoTime()));
        assertThat(ledger.integrateNow()).isTrue();
    }

    private static VerificationResult verify(AuditLedger ledger, List<Cosignature.Verifier> keys, int quorum)
            throws Exception {
        return LogVerifier.forKey(ledger.verifierKey()).requireWitnesses(keys, quorum)
                .verify(LogSource.of(ledger.reader()));
    }
}
