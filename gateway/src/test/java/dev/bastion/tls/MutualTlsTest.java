package dev.bastion.tls;

import dev.bastion.identity.Principal;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.bastion.tls.TlsFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mTLS: only certificates from the configured client CA get in, and they become principals by rule. */
class MutualTlsTest {
    static final ClientCertMapper MAPPER = ClientCertMapper.fromConfig(List.of(
            Map.of("san", "uri:spiffe://example\\.org/ml/.*", "roles", List.of("inference"), "models", List.of("llama-3-8b")),
            Map.of("subject", "CN=[^,]+,OU=Auditors,O=Example", "type", "user", "roles", List.of("auditor"))));

    /** A Helidon listener that answers with the mapped principal (or 401 when no rule matches). */
    static WebServer whoami(ServerTls tls) {
        return helidon(tls, r -> r.get("/whoami", (req, res) -> {
            Optional<Principal> p = req.remotePeer().tlsCertificates().flatMap(MAPPER::map);
            if (p.isEmpty()) {
                res.status(401).send("no principal");
            } else {
                res.send(p.get().id() + " " + p.get().type() + " " + p.get().roles() + " " + p.get().method().wireName());
            }
        }));
    }

    @Test
    void aClientCertificateFromTheClientCaBecomesAPrincipalForJdkCurlAndOpenssl(@TempDir Path dir) throws Exception {
        Ca serverCa = ca(dir, "server");
        Ca clientCa = ca(dir, "clients");
        var svc = issue(dir, clientCa, LocalCa.Profile.CLIENT, "svc-a", List.of("spiffe://example.org/ml/svc-a"), YEAR_AGO, NEXT_YEAR);
        var auditor = issue(dir, clientCa, LocalCa.Profile.CLIENT, "CN=ada,OU=Auditors,O=Example", List.of(), YEAR_AGO, NEXT_YEAR);
        ServerTls tls = ServerTls.load(new ServerTls.Config(server(dir, serverCa, "srv"), false, ServerTls.ClientAuth.REQUIRED, clientCa.certFile()));
        WebServer server = whoami(tls);
        try {
            var r = get(trustingWithClientCert(serverCa.certFile(), svc), server.port(), "/whoami");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("cert:uri:spiffe://example.org/ml/svc-a SERVICE [inference] mtls");

            Run curl = curl(server.port(), "/whoami", "--cacert", serverCa.certFile().toString(),
                    "--cert", auditor.chain().toString(), "--key", auditor.key().toString());
            assertThat(curl.exit()).as(curl.output()).isZero();
            assertThat(curl.output()).isEqualTo("cert:CN=ada,OU=Auditors,O=Example USER [auditor] mtls");

            Run ossl = openssl(server.port(), "-CAfile", serverCa.certFile().toString(),
                    "-cert", svc.chain().toString(), "-key", svc.key().toString());
            assertThat(ossl.exit()).as(ossl.output()).isZero();
            assertThat(ossl.output()).contains("Verification: OK");
        } finally {
            server.stop();
        }
    }

    @Test
    void noCertificateAnotherCasCertificateOrAnExpiredOneIsRefused(@TempDir Path dir) throws Exception {
        Ca serverCa = ca(dir, "server");
        Ca clientCa = ca(dir, "clients");
        Ca rogueCa = ca(dir, "rogue");
        var rogue = issue(dir, rogueCa, LocalCa.Profile.CLIENT, "svc-r", List.of("spiffe://example.org/ml/svc-r"), YEAR_AGO, NEXT_YEAR);
        var expired = issue(dir, clientCa, LocalCa.Profile.CLIENT, "svc-x", List.of("spiffe://example.org/ml/svc-x"),
                YEAR_AGO, NOW.minus(Duration.ofDays(2)));
        ServerTls tls = ServerTls.load(new ServerTls.Config(server(dir, serverCa, "srv"), false, ServerTls.ClientAuth.REQUIRED, clientCa.certFile()));
        WebServer server = whoami(tls);
        try {
            // TLS 1.3 reports a missing/refused client certificate after the client's handshake: an IOException of some kind
            assertThatThrownBy(() -> get(trusting(serverCa.certFile()), server.port(), "/whoami")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(trustingWithClientCert(serverCa.certFile(), rogue), server.port(), "/whoami")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(trustingWithClientCert(serverCa.certFile(), expired), server.port(), "/whoami")).isInstanceOf(IOException.class);

            Run none = curl(server.port(), "/whoami", "--cacert", serverCa.certFile().toString());
            assertThat(none.exit()).as(none.output()).isNotZero();
            assertThat(none.output()).doesNotContain("cert:");
            Run wrong = curl(server.port(), "/whoami", "--cacert", serverCa.certFile().toString(),
                    "--cert", rogue.chain().toString(), "--key", rogue.key().toString());
            assertThat(wrong.exit()).as(wrong.output()).isNotZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void withOptionalClientAuthACertificateLessCallerGetsNoPrincipal(@TempDir Path dir) throws Exception {
        Ca serverCa = ca(dir, "server");
        Ca clientCa = ca(dir, "clients");
        ServerTls tls = ServerTls.load(new ServerTls.Config(server(dir, serverCa, "srv"), false, ServerTls.ClientAuth.OPTIONAL, clientCa.certFile()));
        WebServer server = whoami(tls);
        try {
            var r = get(trusting(serverCa.certFile()), server.port(), "/whoami");
            assertThat(r.statusCode()).isEqualTo(401); // API keys / JWTs would have to authenticate this caller
        } finally {
            server.stop();
        }
    }

    @Test
    void rulesAreTriedInOrderAndAnUnmatchedCertificateIsNoPrincipal(@TempDir Path dir) {
        LocalCa ca = LocalCa.generate("c", YEAR_AGO, NEXT_YEAR);
        var both = ca.issue(LocalCa.Profile.CLIENT, "CN=x,OU=Auditors,O=Example", List.of("spiffe://example.org/ml/x"), YEAR_AGO, NEXT_YEAR);
        var neither = ca.issue(LocalCa.Profile.CLIENT, "CN=y,O=Elsewhere", List.of("dns:y.example", "y@example.org"), YEAR_AGO, NEXT_YEAR);
        Principal p = MAPPER.map(both.chain().toArray(java.security.cert.Certificate[]::new)).orElseThrow();
        assertThat(p.roles()).containsExactly("inference"); // the first rule wins
        assertThat(p.modelScope()).containsExactly("llama-3-8b");
        assertThat(p.attributes()).containsKeys("cert_subject", "cert_fingerprint", "cert_issuer");
        assertThat(MAPPER.map(neither.chain().toArray(java.security.cert.Certificate[]::new))).isEmpty();
        assertThat(MAPPER.map(null)).isEmpty();
        var emailRule = new ClientCertMapper(List.of(new ClientCertMapper.Rule(null, Pattern.compile("email:.*@example\\.org"),
                Principal.Type.USER, Set.of("reader"), Set.of())));
        assertThat(emailRule.map(neither.chain().toArray(java.security.cert.Certificate[]::new)).orElseThrow().id())
                .isEqualTo("cert:email:y@example.org");
    }
}
