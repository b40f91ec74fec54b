package dev.bastion.backend;

/** A successful backend answer in OpenAI shape: one JSON document, or a stream of SSE events. */
public sealed interface BackendAnswer {

    /** A complete JSON answer (HTTP 200). */
    record Complete(byte[] json) implements BackendAnswer {}

    /** A stream of {@code chat.completion.chunk} / completion events; the caller must close it. */
    record Events(EventStream events) implements BackendAnswer {}
}
