package dev.bastion.tls;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.bastion.tls.TlsFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS listener against real clients: JDK HttpClient, curl and openssl s_client. */
class ServerTlsTest {

    @Test
    void aGeneratedLocalCaServesTls13ThatJdkCurlAndOpensslVerify(@TempDir Path dir) throws Exception {
        GeneratedTls.Material m = GeneratedTls.ensure(dir.resolve("tls"), List.of("localhost", "127.0.0.1"), Clock.systemUTC());
        ServerTls tls = ServerTls.load(ServerTls.Config.of(m.source()));
        assertThat(tls.fingerprint()).isEqualTo(m.serverFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        WebServer server = helidon(tls);
        try {
            HttpResponse<String> r = get(trusting(m.caCert()), server.port(), "/hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello over true");
            assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(Fingerprints.sha256((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0])).isEqualTo(m.serverFingerprint());

            Run curl = curl(server.port(), "/hello", "--cacert", m.caCert().toString());
            assertThat(curl.exit()).as(curl.output()).isZero();
            assertThat(curl.output()).isEqualTo("hello over true");

            Run ossl = openssl(server.port(), "-CAfile", m.caCert().toString());
            assertThat(ossl.exit()).as(ossl.output()).isZero();
            assertThat(ossl.output()).contains("Protocol version: TLSv1.3").contains("Verification: OK");

            // TLS 1.2 is off unless configured
            Run old = openssl(server.port(), "-CAfile", m.caCert().toString(), "-tls1_2");
            assertThat(old.exit()).as(old.output()).isNotZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void tls12IsAcceptedOnlyWhenConfigured(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "ca");
        ServerTls tls = ServerTls.load(new ServerTls.Config(server(dir, ca, "srv"), true, ServerTls.ClientAuth.NONE, null));
        WebServer server = helidon(tls);
        try {
            Run old = openssl(server.port(), "-CAfile", ca.certFile().toString(), "-tls1_2");
            assertThat(old.exit()).as(old.output()).isZero();
            assertThat(old.output()).contains("Protocol version: TLSv1.2");
        } finally {
            server.stop();
        }
    }

    @Test
    void clientsThatDoNotTrustTheIssuingCaRefuseTheServer(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "ca");
        Ca other = ca(dir, "other");
        WebServer server = helidon(ServerTls.load(ServerTls.Config.of(server(dir, ca, "srv"))));
        try {
            assertThatThrownBy(() -> get(trusting(other.certFile()), server.port(), "/hello")).isInstanceOf(SSLHandshakeException.class);
            Run curl = curl(server.port(), "/hello", "--cacert", other.certFile().toString());
            assertThat(curl.exit()).as(curl.output()).isEqualTo(60); // peer certificate cannot be authenticated
            Run ossl = openssl(server.port(), "-CAfile", other.certFile().toString());
            assertThat(ossl.exit()).isNotZero();
            assertThat(ossl.output()).containsIgnoringCase("verify");
        } finally {
            server.stop();
        }
    }

    @Test
    void anExpiredServerCertificateIsRefused(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "ca");
        var expired = issue(dir, ca, LocalCa.Profile.SERVER, "old", List.of("127.0.0.1"), YEAR_AGO, NOW.minus(Duration.ofDays(1)));
        WebServer server = helidon(ServerTls.load(ServerTls.Config.of(expired)));
        try {
            assertThatThrownBy(() -> get(trusting(ca.certFile()), server.port(), "/hello")).isInstanceOf(SSLHandshakeException.class);
            Run curl = curl(server.port(), "/hello", "--cacert", ca.certFile().toString());
            assertThat(curl.exit()).isEqualTo(60);
            Run ossl = openssl(server.port(), "-CAfile", ca.certFile().toString());
            assertThat(ossl.exit()).isNotZero();
            assertThat(ossl.output()).contains("certificate has expired");
        } finally {
            server.stop();
        }
    }

    @Test
    void newCertificatesAreServedAfterReloadWithoutRestart(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "ca");
        ServerTls.Source.PemFiles files = server(dir, ca, "srv");
        ServerTls tls = ServerTls.load(ServerTls.Config.of(files));
        WebServer server = helidon(tls);
        try {
            String before = peerFingerprint(get(trusting(ca.certFile()), server.port(), "/hello"));
            assertThat(before).isEqualTo(tls.fingerprint());
            assertThat(tls.reloadIfChanged()).isFalse();

            LocalCa.Issued renewed = ca.ca().issue(LocalCa.Profile.SERVER, "srv-renewed", List.of("127.0.0.1"), YEAR_AGO, NEXT_YEAR);
            renewed.writePem(files.chain(), files.key());
            assertThat(tls.reloadIfChanged()).isTrue();

            String after = peerFingerprint(get(trusting(ca.certFile()), server.port(), "/hello"));
            assertThat(after).isEqualTo(Fingerprints.sha256(renewed.certificate())).isNotEqualTo(before);
            Run ossl = openssl(server.port(), "-CAfile", ca.certFile().toString());
            assertThat(ossl.output()).contains("srv-renewed");

            // a broken file does not take the listener down: the old material stays
            Files.writeString(files.key(), "not a key");
            assertThatThrownBy(tls::reload).isInstanceOf(TlsException.class);
            assertThat(peerFingerprint(get(trusting(ca.certFile()), server.port(), "/hello"))).isEqualTo(after);
        } finally {
            server.stop();
        }
    }

    @Test
    void pkcs12AndEncryptedPkcs8FilesMadeByOpensslLoad(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "ca");
        var pem = server(dir, ca, "srv");
        Path p12 = dir.resolve("srv.p12"), enc = dir.resolve("srv-key-enc.pem");
        assertThat(run("openssl", "pkcs12", "-export", "-in", pem.chain().toString(), "-inkey", pem.key().toString(),
                "-passout", "pass:p12-secret", "-out", p12.toString()).exit()).isZero();
        assertThat(run("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pem.key().toString(),
                "-passout", "pass:pem-secret", "-out", enc.toString()).exit()).isZero();

        for (ServerTls.Source source : List.of(
                new ServerTls.Source.Pkcs12File(p12, dev.bastion.barrier.Passphrase.of("p12-secret")),
                new ServerTls.Source.PemFiles(pem.chain(), enc, dev.bastion.barrier.Passphrase.of("pem-secret")))) {
            WebServer server = helidon(ServerTls.load(ServerTls.Config.of(source)));
            try {
                assertThat(get(trusting(ca.certFile()), server.port(), "/hello").statusCode()).isEqualTo(200);
            } finally {
                server.stop();
            }
        }
        assertThatThrownBy(() -> ServerTls.load(ServerTls.Config.of(new ServerTls.Source.PemFiles(pem.chain(), enc, null))))
                .isInstanceOf(TlsException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> ServerTls.load(ServerTls.Config.of(new ServerTls.Source.Pkcs12File(p12, dev.bastion.barrier.Passphrase.of("wrong")))))
                .isInstanceOf(TlsException.class).hasMessageNotContaining("wrong");
    }

    @Test
    void theGeneratedCertificateIsKeptUntilItNearsExpiryOrTheNamesChange(@TempDir Path dir) throws Exception {
        Clock now = Clock.systemUTC();
        var first = GeneratedTls.ensure(dir, List.of("localhost", "::1"), now);
        var again = GeneratedTls.ensure(dir, List.of("localhost", "::1"), now);
        assertThat(again.serverFingerprint()).isEqualTo(first.serverFingerprint());
        var renamed = GeneratedTls.ensure(dir, List.of("localhost", "bastion.internal"), now);
        assertThat(renamed.serverFingerprint()).isNotEqualTo(first.serverFingerprint());
        assertThat(renamed.caFingerprint()).isEqualTo(first.caFingerprint()); // same CA: clients keep trusting it
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(380)), ZoneOffset.UTC);
        var renewed = GeneratedTls.ensure(dir, List.of("localhost", "bastion.internal"), later);
        assertThat(renewed.serverFingerprint()).isNotEqualTo(renamed.serverFingerprint());
        assertThat(Files.getPosixFilePermissions(renewed.serverKey()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    static String peerFingerprint(HttpResponse<?> r) throws Exception {
        return Fingerprints.sha256((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]);
    }
}
