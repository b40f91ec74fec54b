package dev.bastion.backend;

import java.io.IOException;

/** Server-sent events from a backend, as the JSON payloads of their {@code data:} lines. */
public interface EventStream extends AutoCloseable {

    /** The next event's JSON payload, or null once the stream has ended ({@code [DONE]} or end of body). */
    byte[] next() throws IOException;

    /** True when the next event is already buffered, so the caller can delay flushing to coalesce writes. */
    boolean ready();

    /** Stops the backend's work: drops the connection without reading further. */
    void abort();

    /** Releases the connection (back to the pool when the stream was read to its end). */
    @Override
    void close();
}
