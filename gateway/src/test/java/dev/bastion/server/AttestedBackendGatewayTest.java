package dev.bastion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.attest.AttestedTestBackend;
import dev.bastion.attest.GpuTestAuthority;
import dev.bastion.attest.SnpTestAuthority;
import dev.bastion.attest.TdxTestAuthority;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static dev.bastion.testing.TestGateway.errorCode;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attestation-gated backends end to end, over real TLS: restricted data goes to a backend whose SEV-SNP evidence
 * (signed by a stand-in AMD configured as the trust anchor) is bound to the TLS key Bastion talks to, and the accept
 * record names that evidence; a substituted backend relaying the genuine machine's valid evidence with another TLS
 * key is out of rotation with its reason; a backend that attests nothing never gets restricted data. The same for a
 * TDX backend (quotes and collateral from a stand-in Intel configured as the trust anchor) and an NVIDIA GPU backend
 * (SPDM measurements from a stand-in device chain, compared with configured reference values).
 */
class AttestedBackendGatewayTest {
    static final String CHAT = "{\"model\":\"secret-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    final SnpTestAuthority amd = new SnpTestAuthority();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    TestGateway gateway(AttestedTestBackend backend, boolean attested) throws Exception {
        return gateway(backend, attested ? "sev-snp" : null, SnpTestAuthority.pemOf(amd.ark()), "max-vmpl: 0");
    }

    /** @param type the backend's attestation type, or null for a backend that declares none */
    TestGateway gateway(AttestedTestBackend backend, String type, String rootsPem, String policy) throws Exception {
        Path dir = Files.createTempDirectory("bastion-attested");
        Path roots = dir.resolve("roots.pem");
        Files.writeString(roots, rootsPem);
        String attestation = type == null ? "" : """
                    attestation:
                      type: %s
                      evidence-url: https://127.0.0.1:%d/attestation
                      measurements: any
                      %s
                      insecure-test-roots: "%s"
                """.formatted(type, backend.port(), policy, roots);
        return keep(TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - name: cvm
                    type: openai
                    url: https://127.0.0.1:%d/v1
                    max-classification: restricted
                    tls: {ca: "%s"}
                %s
                models:
                  - alias: secret-chat
                    backend: cvm
                    model: llama
                """.formatted(backend.port(), AttestedTestBackend.caFile(dir), attestation)));
    }

    static HttpResponse<String> restricted(TestGateway gw, String key) throws Exception {
        return gw.chat(key, CHAT, "X-Bastion-Classification", "restricted", "X-Bastion-Purpose", "support");
    }

    static String readiness(TestGateway gw) throws Exception {
        return json(gw.send("GET", "/readyz", null, null).body()).path("backends").path("cvm").asText();
    }

    @Test
    void restrictedDataGoesToTheAttestedBackendAndTheAcceptRecordNamesItsEvidence() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        TestGateway gw = gateway(backend, true);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("attested", () -> call(() -> readiness(gw)).equals("up"));

        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(backend.chats.get()).isEqualTo(1);
        JsonNode accept = AuditLogEntries.of(gw).stream()
                .filter(e -> e.path("kind").asText().equals("bastion.audit.request/v1")).reduce((a, b) -> b).orElseThrow();
        assertThat(accept.path("model").path("backend").asText()).isEqualTo("cvm");
        assertThat(accept.path("model").path("attestation").asText()).startsWith("sha256:").hasSize(71);
    }

    @Test
    void aTdxBackendWhoseQuoteIsBoundToItsTlsKeyGetsRestrictedDataAndItsImpostorNothing() throws Exception {
        TdxTestAuthority intel = new TdxTestAuthority();
        AttestedTestBackend genuine = keep(new AttestedTestBackend(null));
        genuine.evidence = AttestedTestBackend.tdxBoundTo(intel, genuine.certificate());
        TestGateway gw = gateway(genuine, "tdx", AttestedTestBackend.rootsPem(intel), "tcb-statuses: [UpToDate]");
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("attested", () -> call(() -> readiness(gw)).equals("up"));
        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(genuine.chats.get()).isEqualTo(1);

        AttestedTestBackend impostor = keep(new AttestedTestBackend(genuine.evidence));
        TestGateway other = gateway(impostor, "tdx", AttestedTestBackend.rootsPem(intel), "tcb-statuses: [UpToDate]");
        await("refused", () -> call(() -> readiness(other)).contains("binding_mismatch"));
        assertThat(restricted(other, other.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}"))
                .statusCode()).isEqualTo(403);
        assertThat(impostor.chats.get()).isZero();
    }

    @Test
    void aGpuBackendWhoseMeasurementsAreBoundToItsTlsKeyGetsRestrictedDataAndOneWithAnotherDriverNothing()
            throws Exception {
        GpuTestAuthority nvidia = new GpuTestAuthority();
        String reference = "measurements-by-index: {\"0\": [\"" + "aa".repeat(48) + "\"]}";
        AttestedTestBackend gpu = keep(new AttestedTestBackend(null));
        gpu.evidence = nvidia.boundTo(gpu.certificate(), Map.of(1, HexFormat.of().parseHex("aa".repeat(48))));
        TestGateway gw = gateway(gpu, "nvidia-cc", nvidia.rootPem(), reference);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("attested", () -> call(() -> readiness(gw)).equals("up"));
        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(gpu.chats.get()).isEqualTo(1);

        AttestedTestBackend changed = keep(new AttestedTestBackend(null));
        changed.evidence = nvidia.boundTo(changed.certificate(), Map.of(1, HexFormat.of().parseHex("bb".repeat(48))));
        TestGateway other = gateway(changed, "nvidia-cc", nvidia.rootPem(), reference);
        await("refused", () -> call(() -> readiness(other)).contains("measurement_not_allowed"));
        assertThat(restricted(other, other.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}"))
                .statusCode()).isEqualTo(403);
        assertThat(changed.chats.get()).isZero();
    }

    @Test
    void aSubstitutedBackendWithValidEvidenceButAnotherTlsKeyIsOutOfRotationAndGetsNothing() throws Exception {
        AttestedTestBackend genuine = keep(new AttestedTestBackend(null));
        genuine.evidence = AttestedTestBackend.snpBoundTo(amd, genuine.certificate(), 0x30000);
        AttestedTestBackend impostor = keep(new AttestedTestBackend(genuine.evidence));
        TestGateway gw = gateway(impostor, true);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("refused", () -> call(() -> readiness(gw)).contains("binding_mismatch"));

        assertThat(readiness(gw)).startsWith("out of rotation: attestation of cvm refused: binding_mismatch");
        // restricted data: the policy refuses the unattested backend
        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r.body()).path("error").path("rule_ids").asText()).isEqualTo("restricted-needs-attestation");
        // any data: a backend that must attest and does not is out of rotation
        HttpResponse<String> internal = gw.chat(gw.developerKey(), CHAT);
        assertThat(internal.statusCode()).isEqualTo(503);
        assertThat(errorCode(internal)).isEqualTo("no_compliant_backend");
        assertThat(internal.body()).contains("attestation");
        assertThat(impostor.chats.get()).isZero();
    }

    @Test
    void aBackendThatAttestsNothingNeverGetsRestrictedData() throws Exception {
        AttestedTestBackend plain = keep(new AttestedTestBackend(nonce -> null));
        TestGateway gw = gateway(plain, false);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r.body()).path("error").path("rule_ids").asText()).isEqualTo("restricted-needs-attestation");
        assertThat(plain.chats.get()).isZero();
    }

    interface Call<T> {
        T get() throws Exception;
    }

    static <T> T call(Call<T> c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            LockSupport.parkNanos(50_000_000);
        }
    }
}
