package dev.bastion.pipeline;

import java.time.Instant;

/**
 * One request on its way through the {@link Pipeline}: what arrived, what stages learned about it (in typed
 * {@link Key} slots), and how it ended. Lives on one virtual thread; not shared, so not synchronised.
 */
public final class Exchange {
    private final String requestId;
    private final Instant receivedAt;
    private final long startNanos;
    private final String clientAddress;
    private final RequestHeaders headers;
    private RequestContext context = RequestContext.EMPTY;
    private final Operation operation;
    private final BodySource body;
    private ModelRequest request;
    private final Object[] slots = new Object[Key.MAX_KEYS];
    private java.security.cert.Certificate[] peerCertificates;
    private long auditIndex = -1;
    private Completion completion;

    public Exchange(String requestId, Instant receivedAt, long startNanos, String clientAddress,
                    RequestHeaders headers, Operation operation, BodySource body) {
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.clientAddress = clientAddress;
        this.headers = headers;
        this.operation = operation;
        this.body = body;
    }

    public String requestId() { return requestId; }

    public Instant receivedAt() { return receivedAt; }

    public long startNanos() { return startNanos; }

    public String clientAddress() { return clientAddress; }

    /** First value of a request header (case-insensitive name), or null. */
    public String header(String name) { return headers.first(name); }

    public RequestHeaders headers() { return headers; }

    /** What the caller declared in {@code X-Bastion-*} headers; empty until the parse stage ran. */
    public RequestContext context() { return context; }

    public void context(RequestContext context) { this.context = context; }

    /** The parsed request body; null until the parse stage ran. */
    public ModelRequest request() { return request; }

    public void request(ModelRequest request) { this.request = request; }

    public Operation operation() { return operation; }

    /** Reads the raw request body (at most once), bounded by {@code maxBytes}. */
    public byte[] readBody(long maxBytes) { return body.read(maxBytes); }

    public <T> T get(Key<T> key) { return key.cast(slots[key.index]); }

    public <T> void put(Key<T> key, T value) { slots[key.index] = value; }

    /** The client's verified TLS certificate chain (leaf first), or null without mutual TLS. */
    public java.security.cert.Certificate[] peerCertificates() { return peerCertificates; }

    public void peerCertificates(java.security.cert.Certificate[] chain) { this.peerCertificates = chain; }

    /** Leaf index of this exchange's accept record in the audit log, or -1 before it is appended. */
    public long auditIndex() { return auditIndex; }

    public void auditIndex(long index) { this.auditIndex = index; }

    public Completion completion() { return completion; }

    public void complete(Completion completion) { this.completion = completion; }
}
