package dev.bastion.governance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bastion models pull}: a generated GGUF served by a local HTTPS server, fetched through a Hugging Face style
 * {@code resolve/<rev>/<file>} URL that redirects; an interrupted download resumes with a Range request; the digest
 * is verified before anything is registered; hosts off the allow-list — also as a redirect target — are refused.
 */
class ModelPullTest {
    static HttpsServer server;
    static Path dir;
    static Path caPem;
    static byte[] model;
    static String sha256;
    static final List<String> ranges = new CopyOnWriteArrayList<>();
    static final AtomicBoolean cutNext = new AtomicBoolean();

    @BeforeAll
    static void serve() throws Exception {
        dir = Files.createTempDirectory("bastion-pull");
        Path file = dir.resolve("source.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        model = Files.readAllBytes(file);
        sha256 = ModelFileDigest.sha256(file, (d, t) -> { });
        KeyPair key = Bundles.ecKey();
        X509Certificate cert = selfSigned(key);
        caPem = Bundles.pem(dir, "server-ca.pem", "CERTIFICATE", cert.getEncoded());
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(key, cert)));
        server.createContext("/org/tiny/resolve/main/", ex -> redirect(ex, "/cdn/blobs/tiny.gguf"));
        server.createContext("/cdn/blobs/", ModelPullTest::blob);
        server.createContext("/elsewhere/", ex -> redirect(ex, "https://downloads.example.invalid/tiny.gguf"));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    private static String url(String path) { return "https://127.0.0.1:" + server.getAddress().getPort() + path; }

    @Test
    void aPulledModelIsVerifiedResumedAndRegisteredOnlyWithTheRightDigest() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream, """
                governance:
                  model-dirs: ["%s"]
                  pull-hosts: ["127.0.0.1"]
                """.formatted(models))) {
            var people = new Stewards(gw);
            String resolve = url("/org/tiny/resolve/main/tiny.gguf");

            // a wrong digest: downloaded, refused, deleted, nothing registered
            var wrong = people.cli(people.a, "pull", resolve, "--sha256", sha256.replace('a', 'b').replace('0', 'a'),
                    "--pull-ca", caPem.toString(), "--register", "--progress", "never");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).contains("not the expected digest");
            assertThat(Files.list(models)).isEmpty();
            assertThat(json(people.get(people.a, "/bastion/v1/models").body()).path("data")).isEmpty();

            // interrupted half way: the part stays, and the next pull asks only for the rest
            cutNext.set(true);
            var cut = people.cli(people.a, "pull", resolve, "--sha256", sha256, "--pull-ca", caPem.toString(),
                    "--progress", "never");
            assertThat(cut.code()).isEqualTo(1);
            assertThat(cut.err()).contains("resume");
            long partial = Files.size(models.resolve("tiny.gguf.part"));
            assertThat(partial).isBetween(1L, (long) model.length - 1);
            ranges.clear();
            var pulled = people.cli(people.a, "pull", resolve, "--sha256", sha256, "--pull-ca", caPem.toString(),
                    "--register", "--name", "tiny-pulled", "--progress", "always");
            assertThat(pulled.code()).as(pulled.err()).isZero();
            assertThat(ranges).containsExactly("bytes=" + partial + "-");
            assertThat(pulled.err()).contains("pulling [").contains("100%");
            assertThat(Files.readAllBytes(models.resolve("tiny.gguf"))).isEqualTo(model);
            assertThat(pulled.out()).contains("registered").contains("draft").contains("sha256:" + sha256);
            var entry = json(people.get(people.a, "/bastion/v1/models").body()).path("data").get(0);
            assertThat(entry.path("name").asText()).isEqualTo("tiny-pulled");
            assertThat(entry.path("source_url").asText()).isEqualTo(resolve);
            assertThat(entry.path("artifact").path("architecture").asText()).isEqualTo("llama");
        }
    }

    @Test
    void hostsOffTheAllowListAreRefusedAlsoWhenARedirectPointsThere() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models-2"));
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream, """
                governance:
                  model-dirs: ["%s"]
                  pull-hosts: ["127.0.0.1"]
                """.formatted(models))) {
            var people = new Stewards(gw);
            var redirected = people.cli(people.a, "pull", url("/elsewhere/tiny.gguf"), "--sha256", sha256,
                    "--pull-ca", caPem.toString(), "--progress", "never");
            assertThat(redirected.code()).isEqualTo(1);
            assertThat(redirected.err()).contains("downloads.example.invalid is not in governance.pull-hosts");
            var plain = people.cli(people.a, "pull", url("/cdn/blobs/tiny.gguf").replace("https:", "http:"),
                    "--sha256", sha256, "--progress", "never");
            assertThat(plain.err()).contains("only https://");
            var other = people.cli(people.a, "pull", "https://huggingface.co/org/tiny/resolve/main/tiny.gguf",
                    "--sha256", sha256, "--progress", "never");
            assertThat(other.err()).contains("huggingface.co is not in governance.pull-hosts");
            assertThat(Files.list(models)).isEmpty();
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void blob(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(range);
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (model.length - 1) + "/" + model.length);
            ex.sendResponseHeaders(206, model.length - from);
        } else {
            ex.sendResponseHeaders(200, model.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            if (cutNext.getAndSet(false)) {
                out.write(model, from, (model.length - from) / 2);
                out.flush();
                throw new IOException("cut"); // the JDK server then drops the connection mid-body
            }
            out.write(model, from, model.length - from);
        }
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=127.0.0.1"), BigInteger.ONE,
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name("CN=127.0.0.1"), key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static SSLContext tls(KeyPair key, X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
