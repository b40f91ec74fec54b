package dev.bastion.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.NetNs;
import dev.bastion.testing.ServerProcess;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress proof on a real network. Two namespaces joined by a veth pair: {@code gw} runs Bastion (a separate
 * process), {@code net} holds two addresses — 10.77.0.2, which Bastion is configured to reach, and 10.77.0.3, which
 * it is not. Bastion is then induced to reach .3 every way a configuration or a network can try: a backend URL
 * naming it (plainly, behind user-info, as an IPv4-mapped IPv6 literal), an allowed name whose DNS answer is .3,
 * a name with both addresses, and a backend on .2 that redirects to .3. tcpdump on the veth in {@code net} must see
 * zero packets for .3 (not even ARP), and a listener on .3 zero connections, while .2 serves.
 *
 * <p>Needs root, iproute2 and tcpdump ({@code .ci/run} installs them). It never skips: without them it fails.
 */
class EgressNamespaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "10.77.0.2";
    private static final String OTHER = "10.77.0.3";

    @Test
    void bastionNeverSendsAPacketToAnAddressOutsideItsAllowList() throws Exception {
        requireTools();
        Path dir = Files.createTempDirectory("bastion-netns");
        try (NetNs gw = NetNs.create("bst-gw"); NetNs net = NetNs.create("bst-net")) {
            String vg = "bg" + ProcessHandle.current().pid() % 100_000_000, vn = "bn" + ProcessHandle.current().pid() % 100_000_000;
            NetNs.must("ip", "-n", gw.name, "link", "add", vg, "type", "veth", "peer", "name", vn, "netns", net.name);
            NetNs.must("ip", "-n", gw.name, "addr", "add", "10.77.0.1/24", "dev", vg);
            NetNs.must("ip", "-n", gw.name, "link", "set", vg, "up");
            NetNs.must("ip", "-n", net.name, "addr", "add", GOOD + "/24", "dev", vn);
            NetNs.must("ip", "-n", net.name, "addr", "add", OTHER + "/24", "dev", vn);
            NetNs.must("ip", "-n", net.name, "link", "set", vn, "up");
            gw.hosts("127.0.0.1 localhost\n" + OTHER + " api.bastion.test\n" + OTHER + " mixed.bastion.test\n"
                    + GOOD + " mixed.bastion.test\n");

            // the world: a model server on .2, a redirector on .2 pointing at .3, a listener on .3
            StandInUpstream upstream = net.call(() -> new StandInUpstream(GOOD));
            java.net.ServerSocket trap = net.call(() -> new java.net.ServerSocket(0, 50,
                    java.net.InetAddress.ofLiteral(OTHER)));
            int trapPort = trap.getLocalPort();
            java.util.concurrent.atomic.AtomicInteger trapped = new java.util.concurrent.atomic.AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!trap.isClosed()) {
                    try (Socket s = trap.accept()) {
                        trapped.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            HttpServer redirector = net.call(() -> {
                HttpServer s = HttpServer.create(new InetSocketAddress(GOOD, 0), 16);
                s.createContext("/", ex -> {
                    ex.getResponseHeaders().add("Location", "http://" + OTHER + ":" + trapPort + ex.getRequestURI());
                    ex.sendResponseHeaders(307, -1);
                    ex.close();
                });
                s.start();
                return s;
            });
            int good = upstream.baseUrl().getPort();
            Path pcap = dir.resolve("veth.pcap");
            Process capture = startCapture(net, vn, pcap);
            ServerProcess bastion = null;
            Map<String, Reply> replies = new LinkedHashMap<>();
            try {
                Path config = dir.resolve("bastion.yaml");
                Files.writeString(config, config(dir, good, redirector.getAddress().getPort(), trapPort));
                bastion = ServerProcess.launch(config, gw.prefix()).awaitServing(Duration.ofSeconds(90));
                URI base = bastion.base();
                String admin = bastion.adminKey();
                String dev = JSON.readTree(call(gw, base, "POST", "/bastion/v1/keys", admin,
                        "{\"name\":\"app\"}").body).path("key").asText();

                for (String alias : List.of("good", "mixed", "crafted", "userinfo", "mapped", "dns", "redirect")) {
                    replies.put(alias, call(gw, base, "POST", "/v1/chat/completions", dev,
                            "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
                }
            } finally {
                if (bastion != null) bastion.close();
                stopCapture(capture);
                upstream.close();
                redirector.stop(0);
                trap.close();
            }
            assertThat(packets(pcap, "dst host " + OTHER)).as("packets to the address outside the allow-list").isZero();
            assertThat(trapped).hasValue(0);
            assertThat(packets(pcap, "dst host " + GOOD)).as("the capture saw the allowed traffic:\n%s",
                    NetNs.run("tcpdump", "-n", "-r", pcap.toString()).output()).isPositive();
            // what the clients saw, after what the wire saw (a broken gate fails on the packets first)
            assertThat(replies.get("good").status).as(replies.get("good").body).isEqualTo(200);
            assertThat(replies.get("mixed").status).as(replies.get("mixed").body).isEqualTo(200);
            for (String alias : List.of("crafted", "userinfo", "mapped", "dns")) {
                assertThat(replies.get(alias).status).as(alias).isEqualTo(502);
                assertThat(code(replies.get(alias))).as(alias).isEqualTo("egress_denied");
            }
            assertThat(replies.get("redirect").status).isEqualTo(502); // a 307 is a failed answer, not a hop
            assertThat(upstream.requestCount()).isEqualTo(2);
            assertManifest(dir);
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private static String config(Path dir, int good, int redirect, int trap) {
        String backends = """
                  - {name: good, url: "http://%1$s:%2$d/v1"}
                  - {name: mixed, url: "http://mixed.bastion.test:%2$d/v1"}
                  - {name: crafted, url: "http://%3$s:%4$d/v1"}
                  - {name: userinfo, url: "http://%1$s:%2$d@%3$s:%4$d/v1"}
                  - {name: mapped, url: "http://[::ffff:%3$s]:%4$d/v1"}
                  - {name: dns, url: "http://api.bastion.test:%4$d/v1"}
                  - {name: redirect, url: "http://%1$s:%5$d/v1"}
                """.formatted(GOOD, good, OTHER, trap, redirect);
        StringBuilder yaml = new StringBuilder("""
                server: {port: 0, read-timeout: 5s}
                data-dir: %s
                egress:
                  mode: allow-list
                  allow:
                    - network: %s
                    - {host: api.bastion.test, port: %d}
                    - {host: mixed.bastion.test, port: %d}
                backends:
                """.formatted(dir.resolve("data"), GOOD, trap, good));
        for (String line : backends.stripTrailing().split("\n")) {
            yaml.append(line.replace("}", ", max-classification: internal, connect-timeout: 2s}")).append('\n');
        }
        yaml.append("models:\n");
        for (String alias : List.of("good", "mixed", "crafted", "userinfo", "mapped", "dns", "redirect")) {
            yaml.append("  - {alias: ").append(alias).append(", backend: ").append(alias).append(", model: stand-in}\n");
        }
        return yaml.toString();
    }

    /** The audit log holds the manifest: every backend destination, and which of them the allow-list admits. */
    private static void assertManifest(Path dir) throws Exception {
        try (var db = Database.open(StoreConfig.sqlite(dir.resolve("data").resolve("bastion.db")))) {
            AuditLogReader reader = AuditLogReader.of(db);
            JsonNode manifest = null;
            for (long i = 0; ; i++) {
                var e = reader.entry(i);
                if (e.isEmpty()) break;
                JsonNode n = JSON.readTree(new String(e.get(), StandardCharsets.UTF_8));
                if (n.path("kind").asText().equals("bastion.audit.egress/v1")) {
                    manifest = n;
                    break;
                }
            }
            assertThat(manifest).as("egress manifest in the audit log").isNotNull();
            assertThat(manifest.path("mode").asText()).isEqualTo("allow-list");
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            manifest.path("destinations").forEach(d -> allowed.put(d.path("purpose").asText(), d.path("allowed").asBoolean()));
            assertThat(allowed).containsEntry("backend:good", true).containsEntry("backend:crafted", false)
                    .containsEntry("backend:userinfo", false).containsEntry("backend:mapped", false)
                    .containsEntry("backend:dns", true).containsKey("backend:redirect");
        }
    }

    private static void requireTools() throws Exception {
        var who = NetNs.run("id", "-u");
        assertThat(who.output().strip()).as("the namespace egress test needs root (ip netns, tcpdump)").isEqualTo("0");
        assertThat(NetNs.run("sh", "-c", "command -v ip && command -v tcpdump").exit())
                .as("iproute2 and tcpdump must be installed (.ci/run installs them)").isZero();
    }

    private static Process startCapture(NetNs net, String device, Path pcap) throws Exception {
        List<String> cmd = new ArrayList<>(net.prefix());
        // immediate mode: each packet reaches the file at once (buffered packets could be lost when it stops)
        cmd.addAll(List.of("tcpdump", "-i", device, "-n", "--immediate-mode", "-U", "-Z", "root", "-w", pcap.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) if (line.contains("listening on")) listening.complete(null);
            } catch (IOException ignored) {
                // tcpdump stopped
            }
            listening.completeExceptionally(new IllegalStateException("tcpdump exited before capturing"));
        });
        listening.get(30, TimeUnit.SECONDS);
        return p;
    }

    private static void stopCapture(Process p) throws Exception {
        p.destroy(); // SIGTERM: tcpdump flushes and closes the file
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int packets(Path pcap, String filter) throws Exception {
        var r = NetNs.run("tcpdump", "-n", "-r", pcap.toString(), filter);
        return (int) r.output().lines().filter(l -> !l.startsWith("reading from") && !l.isBlank()).count();
    }

    private record Reply(int status, String body) {}

    private static String code(Reply r) throws IOException {
        return JSON.readTree(r.body).path("error").path("code").asText();
    }

    /** One HTTP/1.1 request over a socket made inside the namespace where Bastion listens. */
    private static Reply call(NetNs ns, URI base, String method, String path, String key, String body) throws Exception {
        return ns.call(() -> {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(30_000);
                String head = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n"
                        + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + payload.length + "\r\n\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(payload);
                s.getOutputStream().flush();
                EgressHttp.Streamed answer = EgressHttp.answer(s, method);
                return new Reply(answer.status(), new String(answer.body().readAllBytes(), StandardCharsets.UTF_8));
            }
        });
    }
}
