package dev.bastion.governance;

import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.TlsLayer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ArtifactTransport} through the egress gate: each hop (the fetcher has checked it against
 * {@code governance.pull-hosts}) is declared as a {@code models:pull} destination and fetched over
 * {@link EgressHttp}, which never follows redirects itself.
 */
public final class EgressArtifactTransport implements ArtifactTransport {
    static final String PURPOSE = "models:pull";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

    private final EgressHttp http;
    private final TlsLayer tls;

    /** @param tls TLS for the download, or null for the JDK's trust store */
    public EgressArtifactTransport(EgressHttp http, TlsLayer tls) {
        this.http = http;
        this.tls = tls;
    }

    @Override
    public Response get(URI url, long offset) throws IOException {
        http.declare(Destination.of(PURPOSE, url));
        var request = new EgressHttp.Request(PURPOSE, "GET", url, java.util.Map.of("User-Agent", "bastion-models-pull"),
                null, Duration.ofSeconds(60), tls);
        if (offset > 0) request = request.withHeader("Range", "bytes=" + offset + "-");
        EgressHttp.Streamed s = http.open(request);
        long start = -1;
        String range = s.header("content-range");
        if (s.status() == 206 && range != null) {
            Matcher m = CONTENT_RANGE.matcher(range);
            if (m.matches()) start = Long.parseLong(m.group(1));
        }
        long begin = start;
        return new Response() {
            @Override public int status() { return s.status(); }
            @Override public Optional<String> location() { return Optional.ofNullable(s.header("location")); }
            @Override public long length() {
                String n = s.header("content-length");
                try {
                    return n == null ? -1 : Long.parseLong(n.trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            @Override public long rangeStart() { return begin; }
            @Override public InputStream body() { return s.body(); }
            @Override public void close() throws IOException { s.close(); }
        };
    }
}
