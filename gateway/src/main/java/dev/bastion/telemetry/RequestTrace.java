package dev.bastion.telemetry;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.pipeline.StageObserver;

import java.time.Instant;
import java.util.Arrays;

/**
 * The trace of one exchange, kept as a fact on it so the backend call can add its span and name itself as the
 * parent in the {@code traceparent} it sends. Records plain timestamps and short codes while the request runs;
 * spans (OTLP messages) are built from them only on the exporter's thread.
 *
 * <p>Everything recorded comes from a fixed vocabulary or from configuration: stage names, outcomes, error codes,
 * the route's action, backend names and model aliases, status codes, token counts, Bastion's own request id. No
 * request or answer text, no header values, no subject ids, no error messages.
 */
public final class RequestTrace implements StageObserver.Observation {
    final long traceHi;
    final long traceLo;
    /** The caller's span, 0 when the request came without a (valid) traceparent. */
    final long parentSpanId;
    final long serverSpanId;
    final long terminalSpanId;
    final boolean sampled;
    final String action;
    final String requestId;
    final long epochNanosAtStart;
    final long startNanos;
    private final Tracer tracer;
    // per stage, in order: name, request-side start/end, outcome (0 continue, 1 reply, 2 deny), error code
    // allocated only for sampled traces (an unsampled one only carries ids for the outbound traceparent)
    String[] stageNames;
    long[] stageTimes;
    byte[] stageOutcomes;
    String[] stageErrors;
    int stages;
    long terminalStart;
    long terminalEnd;
    long completeStart;
    long endNanos;
    int status;
    String errorCode;
    String result;
    BackendCall[] calls = new BackendCall[0];

    RequestTrace(Tracer tracer, TraceParent parent, long traceHi, long traceLo, boolean sampled, Exchange exchange) {
        this.tracer = tracer;
        this.traceHi = traceHi;
        this.traceLo = traceLo;
        this.parentSpanId = parent == null ? 0 : parent.spanId();
        this.serverSpanId = Ids.span();
        this.terminalSpanId = Ids.span();
        this.sampled = sampled;
        this.action = exchange.action();
        this.requestId = exchange.requestId();
        Instant at = exchange.receivedAt();
        this.epochNanosAtStart = at.getEpochSecond() * 1_000_000_000L + at.getNano();
        this.startNanos = exchange.startNanos();
        if (sampled) {
            stageNames = new String[20];
            stageTimes = new long[40];
            stageOutcomes = new byte[20];
            stageErrors = new String[20];
        }
    }

    public boolean sampled() { return sampled; }

    /** The trace id as 32 lowercase hex digits. */
    public String traceId() { return TraceParent.hex(traceHi) + TraceParent.hex(traceLo); }

    /**
     * Starts the span of one call to a backend (one per failover attempt), a child of the terminal's span.
     *
     * @param operation {@code chat}, {@code text_completion} or {@code embeddings}
     */
    public BackendCall backendCall(String backend, String alias, String operation) {
        BackendCall call = new BackendCall(Ids.span(), backend, alias, operation, calls.length, System.nanoTime());
        if (sampled) {
            calls = Arrays.copyOf(calls, calls.length + 1);
            calls[calls.length - 1] = call;
        }
        return call;
    }

    /** The {@code traceparent} a backend call sends: this trace, the call's span as the parent. */
    public String traceparent(BackendCall call) {
        return TraceParent.format(traceHi, traceLo, call.spanId, sampled);
    }

    @Override
    public void stage(Stage stage, long start, long end, Outcome outcome) {
        int i = stages++;
        if (i == stageNames.length) {
            stageNames = Arrays.copyOf(stageNames, i * 2);
            stageTimes = Arrays.copyOf(stageTimes, i * 4);
            stageOutcomes = Arrays.copyOf(stageOutcomes, i * 2);
            stageErrors = Arrays.copyOf(stageErrors, i * 2);
        }
        stageNames[i] = stage.name();
        stageTimes[2 * i] = start;
        stageTimes[2 * i + 1] = end;
        switch (outcome) {
            case Outcome.Continue c -> stageOutcomes[i] = 0;
            case Outcome.Reply r -> stageOutcomes[i] = 1;
            case Outcome.Deny d -> {
                stageOutcomes[i] = 2;
                stageErrors[i] = d.problem().code().code();
            }
        }
    }

    @Override
    public void terminal(long start, long end) {
        terminalStart = start;
        terminalEnd = end;
    }

    @Override
    public void end(Exchange exchange, long start, long end) {
        Completion c = exchange.completion();
        completeStart = start;
        endNanos = end;
        status = c.status();
        errorCode = c.errorCode();
        result = c.result().name();
        tracer.finished(this);
    }

    /** Wall-clock time (Unix epoch nanoseconds) of a {@link System#nanoTime} reading taken during this exchange. */
    long epochNanos(long nanoTime) { return epochNanosAtStart + (nanoTime - startNanos); }
}
