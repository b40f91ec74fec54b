package dev.bastion.pipeline;

import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One request on its way through a {@link Pipeline}: what arrived (fixed when the exchange is made), what stages
 * learned about it, and how it ended.
 *
 * <p>Stages share what they learn in one way only: as <em>facts</em>, values stored under their type
 * ({@code exchange.put(Principal.class, p)}, {@code exchange.get(Route.class)}). The type is declared by the package
 * that produces the fact, so this package knows no capability's types, and there are no key constants to import
 * from service classes: a reader imports the data type it reads anyway. One value per type; a stage that needs to
 * say something new declares a record for it. Lives on one virtual thread; not shared, so not synchronised.
 */
public final class Exchange {
    private final String requestId;
    private final Instant receivedAt;
    private final long startNanos;
    private final String clientAddress;
    private final RequestHeaders headers;
    private final Certificate[] peerCertificates;
    private final String action;
    private final BodySource body;
    // facts: a short list searched by identity; an exchange holds about ten, so this beats a map
    private Class<?>[] factTypes = new Class<?>[12];
    private Object[] facts = new Object[12];
    private int factCount;
    private Completion completion;

    /**
     * @param peerCertificates the client's verified TLS chain (leaf first), or null without mutual TLS
     * @param action           the policy action the route performs ({@code model.invoke}, {@code keys.manage}, …)
     */
    public Exchange(String requestId, Instant receivedAt, long startNanos, String clientAddress,
                    RequestHeaders headers, Certificate[] peerCertificates, String action, BodySource body) {
        this.requestId = requestId;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.clientAddress = clientAddress;
        this.headers = headers;
        this.peerCertificates = peerCertificates;
        this.action = Objects.requireNonNull(action, "action");
        this.body = body;
    }

    public String requestId() { return requestId; }

    public Instant receivedAt() { return receivedAt; }

    public long startNanos() { return startNanos; }

    public String clientAddress() { return clientAddress; }

    /** First value of a request header (case-insensitive name), or null. */
    public String header(String name) { return headers.first(name); }

    public RequestHeaders headers() { return headers; }

    /** The client's verified TLS certificate chain (leaf first), or null without mutual TLS. */
    public Certificate[] peerCertificates() { return peerCertificates; }

    /** The policy action this route performs; every exchange has one. */
    public String action() { return action; }

    /** Reads the raw request body (at most once), bounded by {@code maxBytes}. */
    public byte[] readBody(long maxBytes) { return body.read(maxBytes); }

    /** Records a fact under its type, replacing an earlier one of the same type. */
    public <T> void put(Class<T> type, T value) {
        Objects.requireNonNull(value, "fact");
        for (int i = 0; i < factCount; i++) {
            if (factTypes[i] == type) {
                facts[i] = value;
                return;
            }
        }
        if (factCount == facts.length) {
            factTypes = Arrays.copyOf(factTypes, factCount * 2);
            facts = Arrays.copyOf(facts, factCount * 2);
        }
        factTypes[factCount] = type;
        facts[factCount++] = value;
    }

    /** The fact of this type, or null when no stage recorded one (yet). */
    @SuppressWarnings("unchecked")
    public <T> T get(Class<T> type) {
        for (int i = 0; i < factCount; i++) {
            if (factTypes[i] == type) return (T) facts[i];
        }
        return null;
    }

    /** The fact of this type; an {@link IllegalStateException} (a refusal, when a stage asks) when it is missing. */
    public <T> T require(Class<T> type) {
        T value = get(type);
        if (value == null) throw new IllegalStateException("no " + type.getSimpleName() + " on this exchange");
        return value;
    }

    /** How the exchange ended; null until the {@link Pipeline} has finished with the request side. */
    public Completion completion() { return completion; }

    /** Set by the {@link Pipeline} before the completion hooks run (tests of those hooks set it themselves). */
    public void complete(Completion completion) { this.completion = completion; }
}
