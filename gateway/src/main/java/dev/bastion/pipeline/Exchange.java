package dev.bastion.pipeline;

import java.time.Instant;
import java.util.function.Function;

/**
 * One request on its way through the {@link Pipeline}: what arrived, what stages learned about it (in typed
 * {@link Key} slots), and how it ended. Lives on one virtual thread; not shared, so not synchronised.
 */
public final class Exchange {
    private final String requestId;
    private final Instant receivedAt;
    private final long startNanos;
    private final String clientAddress;
    private final Function<String, String> headers;
    private final RequestContext context;
    private final ModelRequest request;
    private final Object[] slots = new Object[Key.MAX_KEYS];
    private long auditIndex = -1;
    private Completion completion;

    public Exchange(String requestId, Instant receivedAt, long startNanos, String clientAddress,
                    Function<String, String> headers, RequestContext context, ModelRequest request) {
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.clientAddress = clientAddress;
        this.headers = headers;
        this.context = context;
        this.request = request;
    }

    public String requestId() { return requestId; }

    public Instant receivedAt() { return receivedAt; }

    public long startNanos() { return startNanos; }

    public String clientAddress() { return clientAddress; }

    /** First value of a request header (case-insensitive name), or null. */
    public String header(String name) { return headers.apply(name); }

    public RequestContext context() { return context; }

    public ModelRequest request() { return request; }

    public Operation operation() { return request.operation(); }

    public <T> T get(Key<T> key) { return key.cast(slots[key.index]); }

    public <T> void put(Key<T> key, T value) { slots[key.index] = value; }

    /** Leaf index of this exchange's accept record in the audit log, or -1 before it is appended. */
    public long auditIndex() { return auditIndex; }

    public void auditIndex(long index) { this.auditIndex = index; }

    public Completion completion() { return completion; }

    public void complete(Completion completion) { this.completion = completion; }
}
