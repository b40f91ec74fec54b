package dev.bastion.tls;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import javax.net.ssl.SSLContext;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Certificates on disk, a real Helidon TLS listener, and real clients (JDK HttpClient, curl, openssl). */
final class TlsFixtures {
    static final Instant NOW = Instant.now();
    static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
    static final Instant NEXT_YEAR = NOW.plus(Duration.ofDays(365));

    private TlsFixtures() {}

    /** A CA written to {@code dir/<name>-ca.pem}. */
    record Ca(LocalCa ca, Path certFile) {}

    static Ca ca(Path dir, String name) {
        LocalCa ca = LocalCa.generate(name, YEAR_AGO, NEXT_YEAR);
        Path f = dir.resolve(name + "-ca.pem");
        ca.writePem(f, dir.resolve(name + "-ca-key.pem"));
        return new Ca(ca, f);
    }

    /** Issues and writes {@code dir/<name>.pem} + {@code dir/<name>-key.pem}; returns the PEM source. */
    static ServerTls.Source.PemFiles issue(Path dir, Ca ca, LocalCa.Profile profile, String name, List<String> sans,
                                           Instant notBefore, Instant notAfter) {
        LocalCa.Issued issued = ca.ca().issue(profile, name, sans, notBefore, notAfter);
        Path chain = dir.resolve(name + ".pem"), key = dir.resolve(name + "-key.pem");
        issued.writePem(chain, key);
        return new ServerTls.Source.PemFiles(chain, key, null);
    }

    static ServerTls.Source.PemFiles server(Path dir, Ca ca, String name) {
        return issue(dir, ca, LocalCa.Profile.SERVER, name, List.of("localhost", "127.0.0.1"), YEAR_AGO, NEXT_YEAR);
    }

    static WebServer helidon(ServerTls tls, Consumer<HttpRouting.Builder> routes) {
        return WebServer.builder().host("127.0.0.1").port(0).tls(tls.helidonTls()).routing(routes).build().start();
    }

    static WebServer helidon(ServerTls tls) {
        return helidon(tls, r -> r.get("/hello", (req, res) -> res.send("hello over " + req.isSecure())));
    }

    static HttpResponse<String> get(SSLContext ctx, int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    static SSLContext trusting(Path caFile) { return UpstreamTls.create(UpstreamTls.Config.trusting(caFile)).sslContext(); }

    static SSLContext trustingWithClientCert(Path caFile, ServerTls.Source clientCert) {
        return UpstreamTls.create(new UpstreamTls.Config(caFile, List.of(), clientCert, false)).sslContext();
    }

    record Run(int exit, String output) {}

    /** Runs a real client process with stdin closed; bounded by a timeout, never a sleep. */
    static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Run curl(int port, String path, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(extra));
        cmd.add("https://127.0.0.1:" + port + path);
        return run(cmd.toArray(String[]::new));
    }

    static Run openssl(int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief", "-verify_return_error"));
        cmd.addAll(List.of(extra));
        return run(cmd.toArray(String[]::new));
    }
}
