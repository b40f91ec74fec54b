package dev.bastion.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a verifier reads a log in tlog-tiles layout: a directory, an http(s) URL prefix, or a live ledger.
 * {@code fetch} returns empty for a resource that does not exist and throws for any other failure.
 */
@FunctionalInterface
public interface LogSource {
    /** Largest resource a tlog-tiles log can hold: a full bundle of 256 maximal entries. */
    long MAX_RESOURCE = 256L * (2 + 0xFFFF);

    Optional<byte[]> fetch(String path) throws IOException;

    /** Paths are resolved below {@code root}; they come from the verifier, never from the log. */
    static LogSource directory(Path root) {
        return path -> {
            Path file = root.resolve(path);
            try {
                if (Files.size(file) > MAX_RESOURCE) throw new IOException(path + " is larger than any tlog resource");
                return Optional.of(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        };
    }

    /** GETs {@code prefix + path}; 404 and 410 mean absent, other non-200 answers are errors. */
    static LogSource http(URI prefix) {
        return http(prefix, null);
    }

    /** The same, sending {@code Authorization: Bearer token} when a token is given (Bastion's API needs audit.read). */
    static LogSource http(URI prefix, String bearerToken) {
        String base = prefix.toString().endsWith("/") ? prefix.toString() : prefix + "/";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return path -> {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept-Encoding", "identity").GET();
            if (bearerToken != null && !bearerToken.isBlank()) rb.header("Authorization", "Bearer " + bearerToken);
            HttpRequest req = rb.build();
            try {
                HttpResponse<java.io.InputStream> res = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (java.io.InputStream body = res.body()) {
                    return switch (res.statusCode()) {
                        case 200 -> {
                            byte[] bytes = body.readNBytes((int) MAX_RESOURCE + 1);
                            if (bytes.length > MAX_RESOURCE) throw new IOException(path + " is larger than any tlog resource");
                            yield Optional.of(bytes);
                        }
                        case 404, 410 -> Optional.empty();
                        default -> throw new IOException("GET " + path + " answered " + res.statusCode());
                    };
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    /** A ledger's own read API, in process. */
    static LogSource of(AuditLogReader reader) {
        return path -> {
            try {
                return reader.read(path).map(AuditLogReader.Resource::body);
            } catch (AuditUnavailableException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    /** {@code DIR} or {@code http(s)://…} as given on a command line. */
    static LogSource parse(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) return http(URI.create(location));
        return directory(Path.of(location));
    }
}
