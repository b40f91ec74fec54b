package dev.bastion.server;

import dev.bastion.attest.AttestationSettings;
import dev.bastion.attest.SevSnpPolicy;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which backends attestation routing keeps track of as routing reloads change the backends. */
class AttestationRoutingTest {
    static BackendSettings backend(String name, boolean attested) {
        var attestation = !attested ? null : new AttestationSettings("sev-snp",
                URI.create("https://127.0.0.1:9/attestation"), Duration.ofHours(1), SevSnpPolicy.permissive(), null,
                null, null, List.of());
        return new BackendSettings(name, BackendSettings.Type.OPENAI, URI.create("https://127.0.0.1:9/v1"), Secret.NONE,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 2, Map.of(), UpstreamTlsSettings.DEFAULT, null, attestation);
    }

    @Test
    void aBackendRemovedOrNoLongerAttestedByAReloadLeavesReadinessAndTheRefresher() {
        AttestationRouting routing = new AttestationRouting(EgressGate.declaredOnly(), Clock.systemUTC());
        TlsLayer plain = TlsLayer.system();
        for (String name : List.of("gone", "dropped", "kept")) routing.tls(backend(name, true), plain);
        assertThat(routing.tls(backend("never", false), plain)).isSameAs(plain);
        assertThat(routing.outOfRotation()).containsOnlyKeys("gone", "dropped", "kept");   // pending: nothing attested

        routing.retain(Map.of("dropped", backend("dropped", false), "kept", backend("kept", true),
                "never", backend("never", false)));
        assertThat(routing.outOfRotation()).containsOnlyKeys("kept");
    }
}
