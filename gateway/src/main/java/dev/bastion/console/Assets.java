package dev.bastion.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's static scripts and style sheet, read from the jar once at start and served with a content digest
 * in their URL (cached for good: a new build has new URLs). They hold no data, so they are served without
 * credentials; every page and API call they make runs the request chain.
 */
final class Assets {
    static final List<String> NAMES = List.of("console.css", "console.js", "plot.js", "audit.js", "tlog.js",
            "policy.js", "keys.js", "models.js", "dashboard.js", "collections.js", "privacy.js");
    private static final Map<String, Asset> ALL = load();

    record Asset(String name, String contentType, byte[] body, String version) {}

    private Assets() {}

    /** The versioned URL of an asset. */
    static String url(String name) {
        Asset a = ALL.get(name);
        if (a == null) throw new IllegalArgumentException("no console asset " + name);
        return "/console/assets/" + name + "?v=" + a.version();
    }

    /** Bytes of every asset (the page-weight figure). */
    static long totalBytes() { return ALL.values().stream().mapToLong(a -> a.body().length).sum(); }

    static void register(HttpRouting.Builder routing) {
        routing.get("/console/assets/{name}", Assets::serve);
    }

    private static void serve(ServerRequest req, ServerResponse res) {
        Asset a = ALL.get(req.path().pathParameters().get("name"));
        Html.SECURITY_HEADERS.forEach((k, v) -> res.header(HeaderNames.create(k), v));
        if (a == null) {
            res.status(Status.NOT_FOUND_404).header(HeaderNames.CONTENT_TYPE, "text/plain").send("no such asset");
            return;
        }
        boolean versioned = req.query().first("v").asOptional().map(a.version()::equals).orElse(false);
        res.header(HeaderNames.CACHE_CONTROL, versioned ? "public, max-age=31536000, immutable" : "no-cache");
        res.header(HeaderNames.ETAG, "\"" + a.version() + "\"");
        res.header(HeaderNames.CONTENT_TYPE, a.contentType());
        res.send(a.body());
    }

    private static Map<String, Asset> load() {
        Map<String, Asset> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = Assets.class.getResourceAsStream("/console/assets/" + name)) {
                if (in == null) throw new IllegalStateException("console asset missing from the jar: " + name);
                byte[] body = in.readAllBytes();
                String version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 6);
                String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
                out.put(name, new Asset(name, type, body, version));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return Map.copyOf(out);
    }
}
