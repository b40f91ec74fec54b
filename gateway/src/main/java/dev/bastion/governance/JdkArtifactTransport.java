package dev.bastion.governance;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link ArtifactTransport} over the JDK HTTP client: TLS with the given trust, no redirects followed, no cookies. */
public final class JdkArtifactTransport implements ArtifactTransport {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    private final HttpClient client;

    /** @param tls trust for HTTPS, or null for the JDK's default trust store */
    public JdkArtifactTransport(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) b.sslContext(tls);
        this.client = b.build();
    }

    @Override
    public Response get(URI url, long offset) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url).GET().timeout(Duration.ofMinutes(10))
                .header("User-Agent", "bastion-models-pull");
        if (offset > 0) req.header("Range", "bytes=" + offset + "-");
        HttpResponse<InputStream> r = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        long start = -1;
        Optional<String> range = r.headers().firstValue("Content-Range");
        if (r.statusCode() == 206 && range.isPresent()) {
            Matcher m = CONTENT_RANGE.matcher(range.get());
            if (m.matches()) start = Long.parseLong(m.group(1));
        }
        long begin = start;
        return new Response() {
            @Override public int status() { return r.statusCode(); }
            @Override public Optional<String> location() { return r.headers().firstValue("Location"); }
            @Override public long length() { return r.headers().firstValueAsLong("Content-Length").orElse(-1); }
            @Override public long rangeStart() { return begin; }
            @Override public InputStream body() { return r.body(); }
            @Override public void close() throws IOException { r.body().close(); }
        };
    }
}
