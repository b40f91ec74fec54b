package dev.bastion.tls;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's TLS listener, client certificates as identities, and TLS towards backends, end to end. */
class GatewayTlsTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static HttpResponse<String> post(HttpClient client, URI base, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A developer key (the shipped policy lets the admin operate, not use models), created over this TLS client. */
    private static String developerKey(HttpClient client, TestGateway gw) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(gw.base().resolve("/bastion/v1/keys"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"developer\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + gw.adminKey).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r.body()).path("key").asText();
    }

    @Test
    void aGeneratedLocalCaServesTls13AndCurlTrustsIt() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.startYaml("""
                server: {port: 0, tls: {mode: generated}}
                backends: [{name: standin, url: "%s", max-classification: internal}]
                models: [{alias: chat, backend: standin}]
                """.formatted(upstream.baseUrl()))) {
            assertThat(gw.base().getScheme()).isEqualTo("https");
            Path ca = gw.config.dataDir().resolve("tls/ca.pem");
            HttpClient client = HttpClient.newBuilder().sslContext(TlsFixtures.trusting(ca)).build();
            assertThat(post(client, gw.base(), developerKey(client, gw), CHAT).statusCode()).isEqualTo(200);

            var curl = TlsFixtures.curl(gw.base().getPort(), "/healthz", "--cacert", ca.toString());
            assertThat(curl.output()).contains("\"status\":\"ok\"");
            var tls12 = TlsFixtures.curl(gw.base().getPort(), "/healthz", "--cacert", ca.toString(), "--tls-max", "1.2");
            assertThat(tls12.exit()).isNotZero();
            var untrusted = TlsFixtures.curl(gw.base().getPort(), "/healthz");
            assertThat(untrusted.exit()).as("no CA given: the certificate is not trusted").isNotZero();
            // plain HTTP on the TLS port gets nowhere
            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gw.base().getPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void clientCertificatesAuthenticateBesideApiKeys() throws Exception {
        Path dir = Files.createTempDirectory("bastion-mtls");
        var serverCa = TlsFixtures.ca(dir, "server");
        var clientCa = TlsFixtures.ca(dir, "clients");
        var otherCa = TlsFixtures.ca(dir, "other");
        var serverCert = TlsFixtures.server(dir, serverCa, "gateway");
        var mapped = TlsFixtures.issue(dir, clientCa, LocalCa.Profile.CLIENT, "svc-billing", List.of(),
                TlsFixtures.YEAR_AGO, TlsFixtures.NEXT_YEAR);
        var unmapped = TlsFixtures.issue(dir, clientCa, LocalCa.Profile.CLIENT, "intruder", List.of(),
                TlsFixtures.YEAR_AGO, TlsFixtures.NEXT_YEAR);
        // same subject from another CA (its own folder: the fixture names files after the subject)
        var foreign = TlsFixtures.issue(Files.createDirectory(dir.resolve("other")), otherCa, LocalCa.Profile.CLIENT, "svc-billing", List.of(),
                TlsFixtures.YEAR_AGO, TlsFixtures.NEXT_YEAR);
        try (var upstream = new StandInUpstream(); var gw = TestGateway.startYaml("""
                server:
                  port: 0
                  tls:
                    mode: files
                    cert-chain: %s
                    private-key: %s
                    client-auth: optional
                    client-ca: %s
                    mtls-rules:
                      - {subject: "CN=svc-(billing|ledger)", type: service, roles: [service], models: [chat]}
                backends: [{name: standin, url: "%s", max-classification: internal}]
                models: [{alias: chat, backend: standin}]
                """.formatted(serverCert.chain(), serverCert.key(), clientCa.certFile(), upstream.baseUrl()))) {
            HttpClient withMapped = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.trustingWithClientCert(serverCa.certFile(), mapped)).build();
            var viaCurl = TlsFixtures.curl(gw.base().getPort(), "/v1/models", "--cacert", serverCa.certFile().toString(),
                    "--cert", mapped.chain().toString(), "--key", mapped.key().toString());
            assertThat(viaCurl.output()).as("curl with the client certificate").contains("\"id\":\"chat\"");
            HttpResponse<String> alone = post(withMapped, gw.base(), null, CHAT);
            assertThat(alone.statusCode()).as("certificate alone: " + alone.body()).isEqualTo(200);

            HttpClient withUnmapped = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.trustingWithClientCert(serverCa.certFile(), unmapped)).build();
            HttpResponse<String> r = post(withUnmapped, gw.base(), null, CHAT);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_api_key");

            HttpClient noCert = HttpClient.newBuilder().sslContext(TlsFixtures.trusting(serverCa.certFile())).build();
            assertThat(post(noCert, gw.base(), null, CHAT).statusCode()).isEqualTo(401);
            assertThat(post(noCert, gw.base(), developerKey(noCert, gw), CHAT).statusCode()).as("keys still work")
                    .isEqualTo(200);

            HttpClient withForeign = HttpClient.newBuilder()
                    .sslContext(TlsFixtures.trustingWithClientCert(serverCa.certFile(), foreign)).build();
            // client-auth optional: a certificate from another CA is not accepted (the JDK client does not even offer
            // it, as its issuer is not among the server's accepted CAs), so the caller is unauthenticated
            assertThat(post(withForeign, gw.base(), null, CHAT).statusCode()).isEqualTo(401);
            var foreignCurl = TlsFixtures.curl(gw.base().getPort(), "/v1/models", "--cacert", serverCa.certFile().toString(),
                    "--cert", foreign.chain().toString(), "--key", foreign.key().toString());
            assertThat(foreignCurl.output()).doesNotContain("\"id\":\"chat\"");
        }
    }

    @Test
    void backendsBehindTlsAreCheckedAgainstTheirCaAndPins() throws Exception {
        Path dir = Files.createTempDirectory("bastion-upstream-tls");
        var ca = TlsFixtures.ca(dir, "models");
        var cert = TlsFixtures.server(dir, ca, "vllm");
        ServerTls upstreamTls = ServerTls.load(ServerTls.Config.of(cert));
        String rightPin = Fingerprints.spkiSha256(upstreamTls.certificate());
        try (var upstream = new StandInUpstream(upstreamTls.sslContext()); var gw = TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - {name: trusted, url: "%1$s", tls: {ca: %2$s, spki-pins: ["%3$s"]}, max-classification: internal}
                  - {name: wrong-pin, url: "%1$s", tls: {ca: %2$s, spki-pins: ["%4$s"]}, max-classification: internal}
                  - {name: default-trust, url: "%1$s", max-classification: internal}
                models:
                  - {alias: chat, backend: trusted}
                  - {alias: pinned-wrong, backend: wrong-pin}
                  - {alias: unknown-ca, backend: default-trust}
                """.formatted(upstream.baseUrl(), ca.certFile(), rightPin, "A".repeat(43) + "="))) {
            assertThat(gw.chat(gw.developerKey(), CHAT).statusCode()).isEqualTo(200);
            for (String alias : List.of("pinned-wrong", "unknown-ca")) {
                HttpResponse<String> r = gw.chat(gw.developerKey(), CHAT.replace("\"chat\"", "\"" + alias + "\""));
                assertThat(r.statusCode()).as(alias).isEqualTo(503);
                assertThat(TestGateway.errorCode(r)).isEqualTo("backend_unavailable");
            }
        }
    }
}
