package dev.bastion.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics about traffic — never about content. Tag values come from configuration (model aliases,
 * backend names) or fixed vocabularies (operation, status, outcome); a model name that is not a configured alias is
 * recorded as {@code unknown}, so clients cannot inflate label cardinality or smuggle text into metrics. Meters are
 * cached per tag combination because looking them up by tags costs more than recording.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Where meters are registered: Prometheus alone, or with the OTLP bridge beside it. */
    private final MeterRegistry registry;
    private final ConcurrentHashMap<RequestTags, Meters> meters = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        this(null);
    }

    /** @param alsoTo a second registry every meter is also written to (the OTLP push bridge), or null */
    public GatewayMetrics(MeterRegistry alsoTo) {
        if (alsoTo == null) {
            registry = prometheus;
        } else {
            CompositeMeterRegistry both = new CompositeMeterRegistry();
            both.add(prometheus);
            both.add(alsoTo);
            registry = both;
        }
    }

    /** The labels of one request. */
    public record RequestTags(String operation, String model, String backend, int status, String outcome) {}

    private record Meters(Counter requests, Timer latency, Counter promptTokens, Counter completionTokens) {}

    public void record(RequestTags tags, long nanos, long promptTokens, long completionTokens) {
        Meters m = meters.computeIfAbsent(tags, this::create);
        m.requests.increment();
        m.latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (promptTokens > 0) m.promptTokens.increment(promptTokens);
        if (completionTokens > 0) m.completionTokens.increment(completionTokens);
    }

    /**
     * A latency timer with a Prometheus percentile histogram (for {@code histogram_quantile}) between {@code min}
     * and {@code max}, returned as a recorder of nanoseconds. {@code tags} are name/value pairs from a fixed
     * vocabulary.
     */
    public java.util.function.LongConsumer latency(String name, String help, Duration min, Duration max,
                                                   String... tags) {
        Timer timer = Timer.builder(name).description(help).tags(tags)
                .publishPercentileHistogram().minimumExpectedValue(min).maximumExpectedValue(max)
                .register(registry);
        return nanos -> timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }

    /** A gauge with tags (e.g. {@code backend=vllm}); registering the same name and tags again keeps the first. */
    public void gauge(String name, String help, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(help).tags(tags).register(registry);
    }

    /**
     * A monotonic count kept by {@code owner} (e.g. the audit writer), exported as a Prometheus counter. The registry
     * holds the owner weakly, so it must be an object that lives as long as the server.
     */
    public <T> void countedElsewhere(String name, String help, T owner, java.util.function.ToDoubleFunction<T> count) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, owner, count).description(help).register(registry);
    }

    private Meters create(RequestTags t) {
        String status = Integer.toString(t.status());
        Counter requests = Counter.builder("bastion.requests")
                .description("Model API requests by operation, model alias, backend, HTTP status and outcome")
                .tags("operation", t.operation(), "model", t.model(), "backend", t.backend(), "status", status,
                        "outcome", t.outcome())
                .register(registry);
        Timer latency = Timer.builder("bastion.request.duration")
                .description("Time from request arrival to the last byte of the answer")
                .tags("operation", t.operation(), "model", t.model(), "backend", t.backend(), "status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        Counter prompt = Counter.builder("bastion.tokens")
                .description("Tokens reported by backends")
                .tags("model", t.model(), "backend", t.backend(), "kind", "prompt")
                .register(registry);
        Counter completion = Counter.builder("bastion.tokens")
                .description("Tokens reported by backends")
                .tags("model", t.model(), "backend", t.backend(), "kind", "completion")
                .register(registry);
        return new Meters(requests, latency, prompt, completion);
    }

    /** The Prometheus text exposition. */
    public String scrape() { return prometheus.scrape(); }
}
