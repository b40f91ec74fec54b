package dev.bastion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.attest.AttestedTestBackend;
import dev.bastion.attest.TlsKeyBinding;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.bastion.server.AttestedBackendGatewayTest.await;
import static dev.bastion.server.AttestedBackendGatewayTest.call;
import static dev.bastion.server.AttestedBackendGatewayTest.readiness;
import static dev.bastion.server.AttestedBackendGatewayTest.restricted;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend attested by a verifier's result token (Azure Attestation claims, a stand-in verifier whose key set
 * Bastion fetches through the egress gate) instead of raw evidence, end to end over real TLS: a token bound to the
 * backend's TLS key and the nonce admits restricted data; one signed by a key outside the verifier's set keeps the
 * backend out of rotation with its reason and gets nothing.
 */
class AttestationTokenGatewayTest {
    static final String ISSUER = "https://verifier.test";
    static final String MEASUREMENT = "5a".repeat(48);
    static RSAKey verifierKey;
    static RSAKey otherKey;
    static HttpServer keys;
    static final AtomicInteger keyFetches = new AtomicInteger();
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void verifier() throws Exception {
        verifierKey = new RSAKeyGenerator(2048).keyID("v1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("v1").generate();
        keys = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keys.createContext("/certs", ex -> {
            keyFetches.incrementAndGet();
            byte[] body = new JWKSet(verifierKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        keys.start();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** The verifier's answer for a guest whose REPORT_DATA carries the nonce and {@code tlsCert}'s key. */
    static Function<byte[], byte[]> tokenBoundTo(RSAKey signer, X509Certificate tlsCert) {
        byte[] spki = TlsKeyBinding.spkiSha256(tlsCert);
        return nonce -> {
            try {
                Instant now = Instant.now();
                var claims = new JWTClaimsSet.Builder().issuer(ISSUER).issueTime(Date.from(now.minusSeconds(5)))
                        .notBeforeTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(600)))
                        .claim("x-ms-attestation-type", "sevsnpvm").claim("x-ms-sevsnpvm-is-debuggable", false)
                        .claim("x-ms-sevsnpvm-launchmeasurement", MEASUREMENT)
                        .claim("x-ms-sevsnpvm-reportdata", HexFormat.of().formatHex(TlsKeyBinding.reportData(nonce, spki)))
                        .build();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID())
                        .type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(new RSASSASigner(signer));
                return ("{\"type\":\"token\",\"token\":\"" + jwt.serialize() + "\"}").getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    TestGateway gateway(AttestedTestBackend backend) throws Exception {
        var ca = AttestedTestBackend.caFile(Files.createTempDirectory("bastion-token"));
        return keep(TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - name: cvm
                    type: openai
                    url: https://127.0.0.1:%d/v1
                    max-classification: restricted
                    tls: {ca: "%s"}
                    attestation:
                      type: token
                      evidence-url: https://127.0.0.1:%d/attestation
                      measurements: [%s]
                      verifier: {service: azure-maa, issuer: "%s", jwks-url: "http://127.0.0.1:%d/certs"}
                models:
                  - alias: secret-chat
                    backend: cvm
                    model: llama
                """.formatted(backend.port(), ca, backend.port(), MEASUREMENT, ISSUER, keys.getAddress().getPort())));
    }

    @Test
    void aVerifierTokenBoundToTheBackendsTlsKeyAdmitsRestrictedDataAndTheRecordNamesIt() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = tokenBoundTo(verifierKey, backend.certificate());
        TestGateway gw = gateway(backend);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("attested by token", () -> call(() -> readiness(gw)).equals("up"));

        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(backend.chats.get()).isEqualTo(1);
        assertThat(keyFetches.get()).isPositive();   // the verifier's key set came over the network, through egress
        JsonNode accept = AuditLogEntries.of(gw).stream()
                .filter(e -> e.path("kind").asText().equals("bastion.audit.request/v1")).reduce((a, b) -> b).orElseThrow();
        assertThat(accept.path("model").path("attestation").asText()).startsWith("sha256:");
    }

    @Test
    void aTokenNotSignedByTheConfiguredVerifierKeepsTheBackendOutAndItGetsNothing() throws Exception {
        AttestedTestBackend backend = keep(new AttestedTestBackend(null));
        backend.evidence = tokenBoundTo(otherKey, backend.certificate());
        TestGateway gw = gateway(backend);
        String service = gw.createKey("{\"name\":\"batch\",\"roles\":[\"service\"]}");
        await("refused", () -> call(() -> readiness(gw)).contains("token_invalid"));

        assertThat(readiness(gw)).startsWith("out of rotation: attestation of cvm refused: token_invalid");
        HttpResponse<String> r = restricted(gw, service);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r.body()).path("error").path("rule_ids").asText()).isEqualTo("restricted-needs-attestation");
        assertThat(backend.chats.get()).isZero();
    }
}
