package dev.bastion.audit.witness;

import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestWitness;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server configured with {@code audit.witnesses}: it reaches the witnesses through its egress gate, publishes
 * each checkpoint to them, and its audit API serves only checkpoints the quorum cosigned, which the standard verifier
 * accepts when told to require that quorum.
 */
class WitnessedGatewayTest {
    @Test
    void serverPublishesCheckpointsToItsWitnessesAndServesOnlyQuorumCosignedOnes() throws Exception {
        try (var upstream = new StandInUpstream();
             var w1 = new TestWitness("w1.test/witness", Clock.systemUTC());
             var w2 = new TestWitness("w2.test/witness", Clock.systemUTC());
             var gw = TestGateway.start(upstream, """
                     audit:
                       witnesses:
                         - key: %s
                           url: %s
                         - key: %s
                           url: %s
                       witness-quorum: 2
                     """.formatted(w1.key().encoded(), w1.submissionPrefix(), w2.key().encoded(),
                     w2.submissionPrefix()))) {
            HttpResponse<String> ok = gw.chat(gw.developerKey(),
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            String auditor = gw.auditorKey();
            // until the witnesses know the log, they refuse (404) and no checkpoint is served
            assertThat(gw.send("GET", "/bastion/v1/audit/checkpoint", auditor, null).statusCode()).isEqualTo(404);
            NoteVerifier log = NoteVerifier.parse(gw.auditVerifierKey());
            w1.trust(log);
            w2.trust(log);

            String served = await().atMost(30, TimeUnit.SECONDS).until(
                    () -> gw.send("GET", "/bastion/v1/audit/checkpoint", auditor, null),
                    r -> r.statusCode() == 200).body();
            assertThat(served).contains("\u2014 w1.test/witness ", "\u2014 w2.test/witness ");
            assertThat(w1.cosigned()).isPositive();
            var verifier = LogVerifier.forKey(gw.auditVerifierKey()).requireWitnesses(List.of(w1.key(), w2.key()), 2);
            assertThat(verifier.verify(LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"), auditor)))
                    .isInstanceOf(VerificationResult.Verified.class);
        }
    }
}
