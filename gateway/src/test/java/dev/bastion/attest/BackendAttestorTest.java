package dev.bastion.attest;

import dev.bastion.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attestation bound to the TLS session, over real TLS: a backend whose evidence is bound to its own TLS key is
 * admitted; a substituted machine presenting valid evidence for another key, a replay of old evidence, a DEBUG
 * guest and an unreachable evidence endpoint are refused and leave the backend out of rotation with a reason.
 */
class BackendAttestorTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    final ManualClock clock = new ManualClock(NOW);
    final SnpTestAuthority amd = new SnpTestAuthority();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    BackendAttestor attestor(AttestedTestBackend backend, Duration maxAge) throws Exception {
        var settings = new AttestationSettings("sev-snp", backend.evidenceUrl(), maxAge,
                new SevSnpPolicy(null, AllowList.of("00".repeat(48)), false, true, 0, false), null, null, null,
                List.of(amd.ark()));
        return new BackendAttestor("confidential-1", settings, backend.evidenceSource(), null, clock,
                new SecureRandom());
    }

    @Test
    void aBackendWhoseEvidenceIsBoundToItsOwnTlsKeyIsAdmittedAndTheSessionIsCached() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        BackendAttestor attestor = attestor(backend, Duration.ofMinutes(10));
        assertThat(attestor.eligible()).isFalse();
        assertThat(attestor.readinessReason()).contains("pending");

        SSLSocket conn = keep(backend.connect());
        Admission a = attestor.admit(conn.getSession());
        assertThat(a).isInstanceOf(Admission.Admitted.class);
        BackendAttestation fact = ((Admission.Admitted) a).attestation();
        assertThat(fact.tee()).isEqualTo(Tee.SEV_SNP);
        assertThat(fact.evidenceDigest()).startsWith("sha256:").hasSize(71);
        assertThat(fact.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(attestor.eligible()).isTrue();
        assertThat(attestor.readinessReason()).isNull();
        assertThat(attestor.current()).isEqualTo(fact);

        for (int i = 0; i < 100; i++) assertThat(attestor.admit(conn.getSession())).isSameAs(a);
        assertThat(attestor.fetches()).isEqualTo(1);
    }

    @Test
    void aSubstitutedBackendWithValidEvidenceForAnotherTlsKeyIsRefusedAndTakenOutOfRotation() throws Exception {
        AttestedTestBackend genuine = keep(new AttestedTestBackend(null));
        genuine.evidence = AttestedTestBackend.snpBoundTo(amd, genuine.certificate(), 0x30000);
        // the impostor answers with the genuine machine's fresh, valid evidence for the same nonce
        AttestedTestBackend impostor = keep(new AttestedTestBackend(genuine.evidence));
        BackendAttestor attestor = attestor(impostor, Duration.ofMinutes(10));

        Admission a = attestor.admit(keep(impostor.connect()).getSession());
        assertThat(a).isInstanceOfSatisfying(Admission.Refused.class, r -> {
            assertThat(r.verdict().reason()).isEqualTo(Refusal.BINDING_MISMATCH);
            assertThat(r.reason()).startsWith("attestation of confidential-1 refused: binding_mismatch");
        });
        assertThat(attestor.eligible()).isFalse();
        assertThat(attestor.current()).isNull();
        assertThat(attestor.readinessReason()).contains("binding_mismatch");
    }

    @Test
    void evidenceReplayedFromAnEarlierNonceIsRefused() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        var honest = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        AtomicReference<byte[]> first = new AtomicReference<>();
        backend.evidence = nonce -> first.updateAndGet(old -> old != null ? old : honest.apply(nonce));
        BackendAttestor attestor = attestor(backend, Duration.ofMinutes(10));
        assertThat(attestor.admit(keep(backend.connect()).getSession())).isInstanceOf(Admission.Admitted.class);
        Admission second = attestor.admit(keep(backend.connect()).getSession());
        assertThat(((Admission.Refused) second).verdict().reason()).isEqualTo(Refusal.BINDING_MISMATCH);
        assertThat(attestor.fetches()).isEqualTo(2);
    }

    @Test
    void aSessionIsReattestedWhenItsAttestationExpiresAndEveryReconnectIsAttestedAfresh() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        BackendAttestor attestor = attestor(backend, Duration.ofMinutes(10));
        SSLSocket conn = keep(backend.connect());
        var first = (Admission.Admitted) attestor.admit(conn.getSession());
        clock.advance(Duration.ofMinutes(9));
        assertThat(attestor.admit(conn.getSession())).isSameAs(first);
        assertThat(attestor.fetches()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(attestor.eligible()).isFalse();
        var renewed = (Admission.Admitted) attestor.admit(conn.getSession());
        assertThat(renewed.attestation().evidenceDigest()).isNotEqualTo(first.attestation().evidenceDigest());
        assertThat(attestor.fetches()).isEqualTo(2);
        attestor.admit(keep(backend.connect()).getSession());
        assertThat(attestor.fetches()).isEqualTo(3);
    }

    @Test
    void aKeptAliveConnectionIsReusedOnlyWhileItsOwnSessionIsAttestedAgainAfterExpiry() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        BackendAttestor attestor = attestor(backend, Duration.ofMinutes(10));
        var ca = AttestedTestBackend.caFile(java.nio.file.Files.createTempDirectory("attest-ca"));
        var upstream = dev.bastion.tls.UpstreamTls.create(new dev.bastion.tls.UpstreamTls.Config(ca, List.of(), null, false));
        dev.bastion.egress.TlsLayer layer = attestor.tlsLayer(upstream::wrap);
        SSLSocket conn = keep(layer.wrap(new java.net.Socket("127.0.0.1", backend.port()), "127.0.0.1", backend.port()));
        assertThat(attestor.fetches()).isEqualTo(1);
        assertThat(layer.reusable(conn)).isTrue();
        assertThat(attestor.fetches()).isEqualTo(1);            // in force: one lookup, no fetch

        clock.advance(Duration.ofMinutes(11));
        assertThat(layer.reusable(conn)).isTrue();              // expired: attested again on this very session
        assertThat(attestor.fetches()).isEqualTo(2);

        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000 | 1 << 19);
        clock.advance(Duration.ofMinutes(11));
        assertThat(layer.reusable(conn)).isFalse();             // its new evidence fails: the connection is not reused
        assertThat(attestor.readinessReason()).contains("debug_enabled");
    }

    @Test
    void aDebugGuestOrAnUnreachableEvidenceEndpointIsOutOfRotationWithItsReason() throws Exception {
        AttestedTestBackend debug = keep(new AttestedTestBackend(null));
        debug.evidence = AttestedTestBackend.snpBoundTo(amd, debug.certificate(), 0x30000 | 1 << 19);
        BackendAttestor a = attestor(debug, Duration.ofMinutes(10));
        assertThat(((Admission.Refused) a.admit(keep(debug.connect()).getSession())).verdict().reason())
                .isEqualTo(Refusal.DEBUG_ENABLED);

        AttestedTestBackend down = keep(new AttestedTestBackend(nonce -> null));
        BackendAttestor b = attestor(down, Duration.ofMinutes(10));
        b.admit(keep(down.connect()).getSession());
        assertThat(b.eligible()).isFalse();
        assertThat(b.readinessReason()).contains("evidence_unavailable");
    }
}
