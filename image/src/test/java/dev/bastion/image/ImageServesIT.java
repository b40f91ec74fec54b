package dev.bastion.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.gguf.SyntheticLlamaModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image the build wrote ({@code target/bastion-image.tar}, an OCI layout) read without any container tool,
 * unpacked, and started the way a runtime would (runc, else unshare + chroot; see {@link ContainerRun}).
 */
class ImageServesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADMIN_KEY = Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static OciImage image;

    @BeforeAll
    static void read() throws IOException {
        image = OciImage.read(Path.of(System.getProperty("bastion.image.tar", "target/bastion-image.tar")));
    }

    @Test
    void imageRunsAsNonRootWithoutAShellAndSaysWhereItComesFrom() throws IOException {
        JsonNode c = image.config().path("config");
        assertThat(c.path("User").asText()).isEqualTo("65532:65532");
        assertThat(c.path("Entrypoint").get(0).asText()).isEqualTo("/opt/java/bin/java");
        assertThat(c.path("Entrypoint").toString()).contains("MaxRAMPercentage", "ExitOnOutOfMemoryError", "-UsePerfData");
        JsonNode labels = c.path("Labels");
        for (String l : List.of("source", "revision", "licenses", "version")) {
            assertThat(labels.path("org.opencontainers.image." + l).asText()).as(l).isNotBlank();
        }
        assertThat(image.config().path("created").asText()).startsWith("1970-01-01");

        List<TarEntries.Entry> entries = image.entries();
        Set<String> names = entries.stream().map(e -> e.path().substring(e.path().lastIndexOf('/') + 1))
                .collect(Collectors.toSet());
        assertThat(names).doesNotContain("sh", "bash", "dash", "busybox", "ash", "zsh", "apt", "dpkg", "su", "sudo");
        for (TarEntries.Entry e : entries) {
            assertThat(e.uid()).as(e.path()).isZero();
            assertThat(e.gid()).as(e.path()).isZero();
            assertThat(e.mtime()).as("fixed file times make the layers reproducible: " + e.path()).isLessThanOrEqualTo(1);
            assertThat(e.mode() & 06000).as("no setuid/setgid: " + e.path()).isZero();
            assertThat(e.mode() & 0002).as("nothing world-writable: " + e.path()).isZero();
            assertThat(e.type()).as(e.path()).isNotEqualTo(TarEntries.Type.OTHER);
        }
        Set<String> paths = entries.stream().map(TarEntries.Entry::path).collect(Collectors.toSet());
        assertThat(paths).contains("app/engine/bastion-engine.jar", "usr/bin/unshare", "etc/passwd",
                "usr/share/bastion/base.txt", "app/sbom/bastion.cdx.json");
        assertThat(paths).anyMatch(p -> p.matches("app/engine/lib/llama-.*\\.jar"));
    }

    @Test
    void sbomListsTheGatewayAndEngineDependencies() throws IOException {
        TarEntries.Entry sbom = image.entries().stream().filter(e -> e.path().equals("app/sbom/bastion.cdx.json"))
                .findFirst().orElseThrow(() -> new AssertionError(
                        "no SBOM in the image: the CycloneDX plugin skips itself in offline builds (mvn -o)"));
        JsonNode bom = JSON.readTree(sbom.content());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        List<String> purls = bom.path("components").findValuesAsText("purl");
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/dev.bastion/bastion-gateway@"))
                .anyMatch(p -> p.startsWith("pkg:maven/dev.bastion/bastion-engine@"))
                .anyMatch(p -> p.startsWith("pkg:maven/de.kherud/llama@"))
                .anyMatch(p -> p.startsWith("pkg:maven/io.helidon.webserver/helidon-webserver@"));
    }

    @Test
    void serverStartsFromTheUnpackedImageAndAnswersReadyz(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("rootfs"));
        long unpacked = image.unpack(root);
        System.out.printf("image: %d layers, %.1f MB compressed, %.1f MB unpacked%n", image.layers().size(),
                image.compressedSize() / 1e6, unpacked / 1e6);
        long started = System.nanoTime();
        try (ContainerRun run = ContainerRun.start(work, root, image.config(),
                Map.of("BASTION_SERVER_PORT", "0"), List.of())) {
            int port = run.awaitServing(Duration.ofSeconds(180)).getPort();
            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("cold start to ready (%s): %d ms%n", run.runc ? "runc" : "chroot", ms);
            assertThat(ready.body()).contains("\"status\":\"ready\"");
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            if (run.runc) { // the JVM runs as the image's user, mapped to an unprivileged host id
                String status = Files.readString(Path.of("/proc/" + run.containerPid() + "/status"));
                assertThat(status).containsPattern("Uid:\\s+" + (ContainerRun.HOST_ID_BASE + 65532) + "\\s");
                assertThat(status).containsPattern("CapEff:\\s+0+\\s");
            }
        }
        // the server wrote only where it may: the data volume holds its database, the root is as unpacked
        assertThat(work.resolve("data/bastion.db")).exists();
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum()).isEqualTo(unpacked);
        }
    }

    @Test
    void engineWorkerServesAModelFromTheImage(@TempDir Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("rootfs"));
        image.unpack(root);
        Path data = Files.createDirectories(work.resolve("data"));
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), data.resolve("tiny.gguf"));
        // in a container without capabilities the worker cannot create its own network namespace; the container's
        // network policy is its boundary there, and the container's confinement replaces the worker's outside lockdown
        // (docs/deploy.md). This test is about the natives running in the
        // image, not the registry workflow (LocalModelGovernanceTest), so the unregistered model may serve.
        try (ContainerRun run = ContainerRun.start(work, root, image.config(),
                Map.of("BASTION_SERVER_PORT", "0", "BASTION_ENGINE_ISOLATION", "off", "BASTION_ENGINE_LOCKDOWN", "off",
                        "BASTION_ENGINE_THREADS", "1", "BASTION_ENGINE_CONTEXT", "512",
                        "BASTION_GOVERNANCE_INSECURE_SERVE_UNREGISTERED", "true"),
                List.of("serve", "--model", "/data/tiny.gguf"))) {
            int port = run.awaitServing(Duration.ofSeconds(240)).getPort();
            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).as("%s%n%s", ready.body(), run.output()).isEqualTo(200);
            Matcher m = ADMIN_KEY.matcher(run.output());
            assertThat(m.find()).as("admin key printed at first start").isTrue();
            String admin = m.group(1);
            JsonNode created = JSON.readTree(post(port, "/bastion/v1/keys", admin, "{\"name\":\"image-it\"}").body());
            String app = created.path("key").asText();
            JsonNode models = JSON.readTree(send(port, HttpRequest.newBuilder(uri(port, "/v1/models"))
                    .header("Authorization", "Bearer " + app).GET()).body());
            String alias = models.path("data").path(0).path("id").asText();
            assertThat(alias).as("the engine's model is listed: " + models).isNotEmpty();
            HttpResponse<String> answer = post(port, "/v1/chat/completions", app, "{\"model\":\"" + alias
                    + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(port, HttpRequest.newBuilder(uri(port, path)).GET());
    }

    private static HttpResponse<String> post(int port, String path, String key, String body)
            throws IOException, InterruptedException {
        return send(port, HttpRequest.newBuilder(uri(port, path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(int port, HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
