package dev.bastion.identity;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where a JSON Web Key Set comes from. Fetches raw JSON; parsing and key checks happen in the cache. */
public interface JwksSource {

    /** The current key set document. */
    String fetch() throws IOException;

    /** For logs: where this source reads from (no secrets in it). */
    String describe();

    /** A provider's {@code jwks_uri}: HTTPS (or loopback HTTP), no redirects, bounded size and time. */
    static JwksSource url(URI uri, Duration timeout) {
        OidcHttp.checkScheme(uri);
        return new JwksSource() {
            @Override
            public String fetch() throws IOException { return OidcHttp.get(uri, timeout); }

            @Override
            public String describe() { return uri.toString(); }
        };
    }

    /** A key set file (air-gapped deployments); re-read on every fetch so rotation is a file replace. */
    static JwksSource file(Path path) {
        return new JwksSource() {
            @Override
            public String fetch() throws IOException {
                if (Files.size(path) > OidcHttp.MAX_BYTES) throw new IOException("key set file too large");
                return Files.readString(path, StandardCharsets.UTF_8);
            }

            @Override
            public String describe() { return path.toString(); }
        };
    }
}
