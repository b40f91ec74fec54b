package dev.bastion.telemetry;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.StageObserver;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Decides per exchange whether it is traced and starts its {@link RequestTrace}. A request's {@code traceparent}
 * (W3C) makes Bastion's server span a child of the caller's span in the same trace; with {@code parentBased} the
 * caller's sampling flag decides, otherwise (and for requests without one) {@code ratio} does. An exchange that is
 * not sampled still gets a trace fact, so backends receive a {@code traceparent} that continues the trace (flag 0),
 * but nothing is timed or exported for it.
 */
public final class Tracer implements StageObserver {
    private final double ratio;
    private final boolean parentBased;
    private final Consumer<RequestTrace> sink;

    /** @param sink takes every sampled trace once it has ended (the exporter's queue); must not block */
    public Tracer(double ratio, boolean parentBased, Consumer<RequestTrace> sink) {
        if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException("sample ratio must be within [0, 1]");
        this.ratio = ratio;
        this.parentBased = parentBased;
        this.sink = sink;
    }

    @Override
    public StageObserver.Observation begin(Exchange exchange) {
        TraceParent parent = TraceParent.parse(exchange.header("traceparent"));
        long hi;
        long lo;
        boolean sampled;
        if (parent != null) {
            hi = parent.traceHi();
            lo = parent.traceLo();
            sampled = parentBased ? parent.sampled() : sample();
        } else {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            hi = r.nextLong();
            lo = Ids.span();
            sampled = sample();
        }
        RequestTrace trace = new RequestTrace(this, parent, hi, lo, sampled, exchange);
        exchange.put(RequestTrace.class, trace);
        return sampled ? trace : null;
    }

    private boolean sample() {
        return ratio >= 1 || (ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio);
    }

    void finished(RequestTrace trace) { sink.accept(trace); }
}
