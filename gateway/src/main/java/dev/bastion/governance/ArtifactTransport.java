package dev.bastion.governance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * The one outbound call model pulls make: a GET of one URL from a byte offset, without following redirects (the
 * fetcher checks every hop against the allow-list). {@link EgressArtifactTransport} makes it through the egress
 * gate, like every other outbound connection.
 */
public interface ArtifactTransport {

    /** What the server answered. */
    interface Response extends AutoCloseable {
        int status();

        /** The {@code Location} of a redirect. */
        Optional<String> location();

        /** {@code Content-Length}, or -1. */
        long length();

        /** For a 206: the first byte position of {@code Content-Range}, else -1. */
        long rangeStart();

        InputStream body();

        @Override
        void close() throws IOException;
    }

    /** GET {@code url}, asking for bytes from {@code offset} on when it is above zero. */
    Response get(URI url, long offset) throws IOException;
}
