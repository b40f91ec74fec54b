package dev.bastion.governance;

import dev.bastion.gguf.ModelFileDigest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * {@code bastion models pull}: downloads an artifact over HTTPS from an allow-listed host (every redirect hop is
 * checked too — Hugging Face {@code resolve/<rev>/<file>} URLs redirect to a CDN), resumes a partial download
 * ({@code <file>.part}, HTTP Range), reports progress, and verifies the SHA-256 before the file takes its final
 * name. Nothing is registered until the digest matches.
 */
public final class ArtifactFetcher {
    private static final int MAX_REDIRECTS = 5;

    private final ArtifactTransport transport;
    private final List<String> allowedHosts;

    public ArtifactFetcher(ArtifactTransport transport, List<String> allowedHosts) {
        this.transport = transport;
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Why a pull failed; the message names the problem, never content. */
    public static final class PullException extends Exception {
        public PullException(String message) { super(message); }
    }

    /** The file name a URL's last path segment gives ({@code …/resolve/main/model.Q8_0.gguf} → {@code model.Q8_0.gguf}). */
    public static String fileName(URI url) {
        String path = url.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}")) return "artifact.gguf";
        return name;
    }

    /**
     * @param target where the verified file goes; its {@code .part} sibling holds a partial download
     * @return the verified file
     */
    public Path pull(URI url, String expectedSha256, Path target, ModelFileDigest.Progress progress)
            throws PullException, IOException {
        if (!expectedSha256.matches("[0-9a-f]{64}")) throw new PullException("--sha256 must be 64 lower-case hex digits");
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (Files.isRegularFile(target)) {
            if (ModelFileDigest.sha256(target, progress).equals(expectedSha256)) return target;
            throw new PullException("a different file already exists at " + target);
        }
        download(url, part, progress);
        String actual = ModelFileDigest.sha256(part, (d, t) -> { });
        if (!actual.equals(expectedSha256)) {
            Files.delete(part);
            throw new PullException("the downloaded file's SHA-256 is " + actual + ", not the expected digest; "
                    + "it was deleted");
        }
        return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private void download(URI url, Path part, ModelFileDigest.Progress progress) throws PullException, IOException {
        URI at = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(at);
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            ArtifactTransport.Response answer;
            try {
                answer = transport.get(at, have);
            } catch (IOException e) {
                throw new PullException("cannot fetch from " + at.getHost() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            try (ArtifactTransport.Response r = answer) {
                int s = r.status();
                if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
                    at = at.resolve(r.location().orElseThrow(() -> new PullException("a redirect without a Location")));
                    continue;
                }
                if (s == 416 && have > 0) return; // nothing left to fetch: the part is complete
                boolean resumed = s == 206 && r.rangeStart() == have;
                if (s != 200 && !resumed) throw new PullException("the server answered HTTP " + s);
                long total = r.length() < 0 ? -1 : r.length() + (resumed ? have : 0);
                try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                        resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    long done = resumed ? have : 0;
                    byte[] buf = new byte[1 << 16];
                    int n;
                    try {
                        while ((n = in.read(buf)) > 0) {
                            out.write(buf, 0, n);
                            done += n;
                            progress.update(done, Math.max(total, done));
                        }
                    } catch (IOException e) {
                        throw new PullException("the download was interrupted after " + done + " bytes ("
                                + e.getClass().getSimpleName() + "); run pull again to resume");
                    }
                    if (total >= 0 && done != total) throw new PullException("the download ended early; run pull again to resume");
                }
                return;
            }
        }
        throw new PullException("more than " + MAX_REDIRECTS + " redirects");
    }

    private void check(URI at) throws PullException {
        if (!"https".equalsIgnoreCase(at.getScheme())) throw new PullException("only https:// URLs are pulled");
        String host = at.getHost() == null ? "" : at.getHost().toLowerCase(Locale.ROOT);
        String withPort = at.getPort() < 0 ? host : host + ":" + at.getPort();
        if (!allowedHosts.contains(host) && !allowedHosts.contains(withPort)) {
            throw new PullException("host " + host + " is not in governance.pull-hosts");
        }
    }
}
