package dev.bastion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.attest.AttestedTestBackend;
import dev.bastion.attest.SnpTestAuthority;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.bastion.server.AttestedBackendGatewayTest.await;
import static dev.bastion.server.AttestedBackendGatewayTest.call;
import static dev.bastion.server.AttestedBackendGatewayTest.restricted;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attested backends among others behind one alias, over real TLS: restricted data skips the backend that attests
 * nothing; when an attested backend's attestation expires and its new evidence fails (a DEBUG guest), it leaves
 * rotation with its reason and restricted data goes only to the backend still attested.
 */
class AttestationRotationGatewayTest {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    final SnpTestAuthority amd = new SnpTestAuthority();
    final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    static String attested(AttestedTestBackend b, Path ark) {
        return """
                    attestation:
                      type: sev-snp
                      evidence-url: https://127.0.0.1:%d/attestation
                      max-age: 10m
                      measurements: any
                      insecure-test-roots: "%s"
                """.formatted(b.port(), ark);
    }

    static String backend(String name, AttestedTestBackend b, Path ca) {
        return """
                  - name: %s
                    type: openai
                    url: https://127.0.0.1:%d/v1
                    max-classification: restricted
                    tls: {ca: "%s"}
                """.formatted(name, b.port(), ca);
    }

    static String readiness(TestGateway gw, String backend) throws Exception {
        return json(gw.send("GET", "/readyz", null, null).body()).path("backends").path(backend).asText();
    }

    @Test
    void restrictedDataSkipsTheUnattestedBackendAndLeavesOneWhoseReattestationFails() throws Exception {
        AttestedTestBackend plain = keep(new AttestedTestBackend(nonce -> null));
        AttestedTestBackend a = keep(new AttestedTestBackend(null));
        a.evidence = AttestedTestBackend.snpBoundTo(amd, a.certificate(), 0x30000);
        AttestedTestBackend b = keep(new AttestedTestBackend(null));
        b.evidence = AttestedTestBackend.snpBoundTo(amd, b.certificate(), 0x30000);
        Path dir = Files.createTempDirectory("bastion-attested");
        Path ark = dir.resolve("ark.pem");
        Files.writeString(ark, SnpTestAuthority.pemOf(amd.ark()));
        Path ca = AttestedTestBackend.caFile(dir);
        TestGateway gw = keep(TestGateway.startYaml("server: {port: 0}\nbackends:\n"
                + backend("plain", plain, ca)
                + backend("cvm-a", a, ca) + attested(a, ark)
                + backend("cvm-b", b, ca) + attested(b, ark)
                + """
                models:
                  - alias: secret-chat
                    backends:
                      - {backend: plain, model: llama}
                      - {backend: cvm-a, model: llama}
                      - {backend: cvm-b, model: llama, priority: 1}
                """, clock));
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("both attested", () -> call(() -> readiness(gw, "cvm-a").equals("up") && readiness(gw, "cvm-b").equals("up")));

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = restricted(gw, service);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(plain.chats.get()).isZero();      // refused by policy for restricted data: attests nothing
        assertThat(a.chats.get()).isEqualTo(4);      // the attested backend of the first group
        assertThat(b.chats.get()).isZero();

        // cvm-a's guest is restarted in DEBUG mode: its next evidence is refused when its attestation expires
        a.evidence = AttestedTestBackend.snpBoundTo(amd, a.certificate(), 0x30000 | 1 << 19);
        clock.advance(MAX_AGE.plusMinutes(1));
        await("cvm-a re-attested and refused", () -> call(() -> readiness(gw, "cvm-a").contains("debug_enabled")));
        await("cvm-b re-attested", () -> call(() -> readiness(gw, "cvm-b").equals("up")));
        assertThat(readiness(gw, "cvm-a")).startsWith("out of rotation: attestation of cvm-a refused: debug_enabled");

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = restricted(gw, service);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(a.chats.get()).isEqualTo(4);
        assertThat(b.chats.get()).isEqualTo(4);
        assertThat(plain.chats.get()).isZero();
        JsonNode accept = AuditLogEntries.of(gw).stream()
                .filter(e -> e.path("kind").asText().equals("bastion.audit.request/v1")).reduce((x, y) -> y).orElseThrow();
        assertThat(accept.path("model").path("backend").asText()).isEqualTo("cvm-b");
        assertThat(accept.path("model").path("attestation").asText()).startsWith("sha256:");
    }
}
