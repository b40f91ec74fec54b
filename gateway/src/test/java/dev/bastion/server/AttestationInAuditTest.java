package dev.bastion.server;

import dev.bastion.pipeline.ModelRequest;
import dev.bastion.attest.BackendAttestation;
import dev.bastion.attest.Tee;
import dev.bastion.audit.Actor;
import dev.bastion.audit.ModelRoute;
import dev.bastion.audit.RequestEntry;
import dev.bastion.backend.BackendAnswer;
import dev.bastion.backend.ModelBackend;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.route.Route;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every accept record names the attestation evidence of the backend that served the request. */
class AttestationInAuditTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final Actor ALICE = Actor.of(new Principal("key:k1", Principal.Type.SERVICE, Set.of("service"), Map.of(),
            Principal.AuthMethod.API_KEY, Set.of()));

    static ModelBackend backend(String name) {
        return new ModelBackend() {
            @Override public String name() { return name; }
            @Override public dev.bastion.backend.UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
                throw new AssertionError();
            }
            @Override public BackendAnswer send(dev.bastion.backend.UpstreamRequest prepared) { throw new AssertionError(); }
            @Override public boolean probe() { return true; }
            @Override public void close() { }
        };
    }

    static Exchange routed(BackendAttestation attestation) {
        Exchange e = new Exchange("req-1", T, 0, "127.0.0.1", null, null, "model.invoke", max -> new byte[0]);
        e.put(Route.class, new Route("chat", backend("cvm-1"), "llama", Map.of(), Map.of("region", "eu-west")));
        if (attestation != null) e.put(BackendAttestation.class, attestation);
        return e;
    }

    @Test
    void theAcceptRecordCarriesTheServingBackendsAttestationDigest() {
        var fact = new BackendAttestation("cvm-1", Tee.SEV_SNP, "00".repeat(48), DIGEST, T.plusSeconds(600));
        ModelRoute route = new ExchangeAuditFacts(alias -> null, () -> null).route(routed(fact));
        assertThat(route.attestationDigest()).isEqualTo(DIGEST);
        String json = new String(RequestEntry.builder("req-1", T).principal(ALICE).action("model.invoke").model(route).build()
                .toCanonicalJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"model\":{\"alias\":\"chat\",\"attestation\":\"" + DIGEST + "\",\"backend\":\"cvm-1\"");
    }

    @Test
    void anUnattestedBackendsRecordHasNoAttestationField() {
        ModelRoute route = new ExchangeAuditFacts(alias -> null, () -> null).route(routed(null));
        assertThat(route.attestationDigest()).isNull();
        String json = new String(RequestEntry.builder("req-1", T).principal(ALICE).action("model.invoke").model(route).build()
                .toCanonicalJson(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("attestation");
    }
}
