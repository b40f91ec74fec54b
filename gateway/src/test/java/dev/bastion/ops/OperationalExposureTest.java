package dev.bastion.ops;

import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.ServerProcess;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import dev.bastion.tls.UpstreamTls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hole 9 of issue 13: a server that cannot listen does not pretend to serve; operational endpoints name backends and
 * aliases only to callers on loopback or allowed {@code ops.read}; every file Bastion creates is private.
 */
class OperationalExposureTest {

    @Test
    void aFailedBindExitsNonZeroInsteadOfServingNowhere() throws Exception {
        Path dir = Files.createTempDirectory("bastion-bind");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String yaml = "server: {port: " + taken.getLocalPort() + "}\ndata-dir: " + dir.resolve("data") + "\n";
            assertThatThrownBy(() -> TestGateway.startYaml(yaml)).hasMessageContaining("cannot listen on");
            Path config = dir.resolve("bastion.yaml");
            Files.writeString(config, yaml);
            try (ServerProcess p = ServerProcess.launch(config)) {
                assertThat(p.awaitExit(Duration.ofSeconds(60))).isNotZero();
                assertThat(p.stdout()).doesNotContain("Bastion is serving");
            }
        }
    }

    @Test
    void namesInMetricsAndReadinessOnlyForAuthorisedCallersOffLoopback() throws Exception {
        String ip = nonLoopbackAddress();
        // off loopback Bastion insists on TLS: a generated local CA, trusted here (no host-name check on raw sockets)
        try (var upstream = new StandInUpstream(); var gw = TestGateway.startYaml("""
                server: {host: 0.0.0.0, port: 0, tls: {mode: generated}}
                barrier: {provider: passphrase, passphrase: {memory-kib: 8192, iterations: 1}}
                backends:
                  - {name: secret-backend-eu, url: "%s", max-classification: internal}
                models:
                  - {alias: secret-alias, backend: secret-backend-eu}
                """.formatted(upstream.baseUrl()))) {
            SSLContext tls = UpstreamTls.create(UpstreamTls.Config.trusting(gw.config.dataDir().resolve("tls/ca.pem")))
                    .sslContext();
            int port = gw.server.port();
            // off loopback the root key may not lie beside the data: the passphrase provider, initialised from the host
            String token = Files.readString(gw.config.dataDir().resolve("init-token")).strip();
            String init = "{\"passphrase\":\"exposure test passphrase\",\"init_token\":\"" + token + "\"}";
            String admin = key(exchange(tls, "127.0.0.1", port, "POST /bastion/v1/operator/init HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + init.length()
                    + "\r\nConnection: close\r\n\r\n" + init), "admin_key");
            String monitor = key(create(tls, port, admin, "{\"name\":\"prometheus\",\"roles\":[\"monitor\"]}"));
            String developer = key(create(tls, port, admin, "{\"name\":\"dev\"}"));
            String chat = "{\"model\":\"secret-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(exchange(tls, "127.0.0.1", port, "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + developer + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + chat.length() + "\r\nConnection: close\r\n\r\n" + chat)).startsWith("HTTP/1.1 200");

            String anonymous = get(tls, ip, port, "/metrics", null);
            assertThat(anonymous).startsWith("HTTP/1.1 401").contains("missing_credentials").doesNotContain("secret-");
            String forbidden = get(tls, ip, port, "/metrics", developer);
            assertThat(forbidden).startsWith("HTTP/1.1 403").doesNotContain("secret-");
            assertThat(get(tls, ip, port, "/metrics", monitor)).startsWith("HTTP/1.1 200").contains("secret-");
            // /metrics is a route of the request chain: its refusals are in the log like every other, under the id
            // the caller saw
            List<String> refused = Stream.of(anonymous, forbidden).map(OperationalExposureTest::requestId).toList();
            List<com.fasterxml.jackson.databind.JsonNode> entries = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
                entries.clear();
                AuditLogEntries.of(gw).stream().filter(e -> e.path("kind").asText().equals("bastion.audit.refused/v1"))
                        .filter(e -> refused.contains(e.path("request_id").asText())).forEach(entries::add);
                return entries.size() == 2;
            });
            assertThat(entries).extracting(e -> e.path("action").asText() + " " + e.path("status").asInt() + " "
                    + e.path("error_code").asText())
                    .containsExactlyInAnyOrder("ops.read 401 missing_credentials", "ops.read 403 permission_denied");

            String ready = get(tls, ip, port, "/readyz", null);
            assertThat(ready).startsWith("HTTP/1.1 200").contains("\"backends_up\":1").doesNotContain("secret-");
            assertThat(get(tls, ip, port, "/readyz", monitor)).contains("secret-backend-eu");

            // the host's own tooling on loopback sees everything without a key
            assertThat(get(tls, "127.0.0.1", port, "/readyz", null)).contains("secret-backend-eu");
            assertThat(get(tls, "127.0.0.1", port, "/metrics", null)).startsWith("HTTP/1.1 200");
        }
    }

    private static String create(SSLContext tls, int port, String admin, String body) throws Exception {
        return exchange(tls, "127.0.0.1", port, "POST /bastion/v1/keys HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static String requestId(String response) {
        return response.lines().filter(l -> l.regionMatches(true, 0, "X-Bastion-Request-Id:", 0, 21)).findFirst()
                .orElseThrow().substring(21).trim();
    }

    private static String key(String response) throws Exception {
        return key(response, "key");
    }

    private static String key(String response, String field) throws Exception {
        return TestGateway.json(response.substring(response.indexOf("\r\n\r\n") + 4)).path(field).asText();
    }

    private static String get(SSLContext tls, String host, int port, String path, String key) throws Exception {
        return exchange(tls, host, port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "Connection: close\r\n\r\n");
    }

    private static String exchange(SSLContext tls, String host, int port, String request) throws Exception {
        // layered over a connected socket with the host given as text: the JDK does no reverse lookup of the address
        java.net.Socket plain = new java.net.Socket(host, port);
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            var in = s.getInputStream();
            var head = new java.io.ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) break;
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
            byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
            return h + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyFileBastionCreatesIsPrivate() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            assertThat(gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(gw.config.dataDir())) {
                for (Path p : all.toList()) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    if (!perms.equals(expected)) open.add(gw.config.dataDir().relativize(p) + " " + perms);
                }
            }
            assertThat(open).as("files and directories open to other accounts").isEmpty();
            assertThat(gw.config.dataDir().resolve("bastion.db")).exists();
            assertThat(gw.config.dataDir().resolve("bastion.db-wal")).exists();
        }
    }

    /** An address of this machine that is not loopback, so the server sees a remote peer. */
    static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : ni.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a.getHostAddress();
            }
        }
        throw new IllegalStateException("this test needs a non-loopback IPv4 interface on the machine");
    }
}
