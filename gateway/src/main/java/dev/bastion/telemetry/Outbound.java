package dev.bastion.telemetry;

/**
 * The {@code traceparent} a backend call sends, bound by the caller (route) for the extent of the call and read by
 * the HTTP client (backend) when it writes the request head. A scoped value rather than a parameter because it is
 * context propagation across layers that otherwise know nothing of tracing: every backend adapter (OpenAI, Ollama,
 * the engine worker's socket) picks it up in the one place that writes heads, and nothing else can see it.
 */
public final class Outbound {
    /** Unbound when the request is not traced (tracing off): then no header is sent. */
    public static final ScopedValue<String> TRACEPARENT = ScopedValue.newInstance();

    private Outbound() {}
}
