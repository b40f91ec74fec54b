package dev.bastion.audit.witness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link WitnessTransport} over the JDK HTTP client: keep-alive, no redirects, at most 64 KiB read back. */
public final class JdkWitnessTransport implements WitnessTransport {
    private static final int MAX_REPLY = 64 * 1024;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Reply post(URI url, String contentType, byte[] body, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var in = r.body()) {
            byte[] reply = in.readNBytes(MAX_REPLY + 1);
            if (reply.length > MAX_REPLY) throw new IOException("witness reply is larger than " + MAX_REPLY + " bytes");
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), reply);
        }
    }
}
