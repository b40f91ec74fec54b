package dev.bastion.image;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Image figures (bench/scripts/image-start.sh): size, and cold start to a 200 from /readyz with a fresh data
 * directory, alternating the image under the container runtime with the same jars on the build machine's JDK
 * (same flags, no container), so a loaded machine slows both alike. Prints medians and their ratio.
 */
public final class ImageStartFigures {
    private ImageStartFigures() {}

    public static void main(String[] args) throws Exception {
        Path tar = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        OciImage image = OciImage.read(tar);
        Path work = Files.createTempDirectory("bastion-image-figures",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        Path root = Files.createDirectories(work.resolve("rootfs"));
        long unpacked = image.unpack(root);
        System.out.printf("image: %d layers, %.1f MB compressed, %.1f MB unpacked%n", image.layers().size(),
                image.compressedSize() / 1e6, unpacked / 1e6);
        List<Long> inImage = new ArrayList<>();
        List<Long> onHost = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            inImage.add(container(image, root, Files.createTempDirectory(work, "c")));
            onHost.add(host(image, root, Files.createTempDirectory(work, "h")));
            System.out.printf("round %d: image %d ms, host JDK %d ms (load %s)%n", i + 1, inImage.getLast(),
                    onHost.getLast(), Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
        long a = median(inImage);
        long b = median(onHost);
        System.out.printf("median cold start to ready: image %d ms, host JDK %d ms, ratio %.2f%n", a, b, (double) a / b);
    }

    private static long container(OciImage image, Path root, Path work) throws Exception {
        long t0 = System.nanoTime();
        try (ContainerRun run = ContainerRun.start(work, root, image.config(),
                Map.of("BASTION_SERVER_PORT", "0"), List.of())) {
            ready(run.awaitServing(Duration.ofMinutes(3)).getPort());
            return (System.nanoTime() - t0) / 1_000_000;
        }
    }

    /** The image's entrypoint with its paths pointed into the unpacked root, on the host's JDK 25. */
    private static long host(OciImage image, Path root, Path data) throws Exception {
        List<String> cmd = new ArrayList<>();
        image.config().path("config").path("Entrypoint").forEach(a -> cmd.add(a.asText()
                .replace("/opt/java/bin/java", Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .replace("@/app/jib-classpath-file", hostClasspath(root))
                .replace("-XX:ErrorFile=/tmp/", "-XX:ErrorFile=" + data + "/")
                .replace("=/tmp", "=" + data)));
        cmd.add("serve");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("BASTION_DATA_DIR", data.toString(), "BASTION_SERVER_PORT", "0"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("Bastion is serving on ")) {
                // the server's start-up output
            }
            if (line == null) throw new IllegalStateException("the server exited before serving");
            ready(URI.create(line.substring(22).split(" ")[0]).getPort());
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static String hostClasspath(Path root) {
        try {
            return Files.readString(root.resolve("app/jib-classpath-file")).trim().replace("/app/", root + "/app/");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void ready(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("not ready: " + r.body());
    }

    private static long median(List<Long> xs) {
        List<Long> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
