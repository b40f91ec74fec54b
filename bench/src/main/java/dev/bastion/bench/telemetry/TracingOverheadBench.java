package dev.bastion.bench.telemetry;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.pipeline.Stage;
import dev.bastion.telemetry.BackendCall;
import dev.bastion.telemetry.OtlpSpans;
import dev.bastion.telemetry.RequestTrace;
import dev.bastion.telemetry.Tracer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What tracing adds to one request, apart from the stages' own work: a pipeline of 17 stages that do nothing and a
 * terminal that opens one backend-call span, run without an observer ({@code off}: tracing not configured), with a
 * tracer that samples nothing ({@code unsampled}: only the trace id and the outbound traceparent), and with one that
 * samples everything ({@code sampledRequestThread}: the timestamps and the hand-over, what the request's thread pays).
 * {@code exportPerTrace} is the exporter thread's share: the OTLP protobuf of one request's spans, encoded in batches
 * of 64 as the exporter sends them, per trace. The CPU cost of a traced request is about
 * {@code sampledRequestThread − off + exportPerTrace}.
 * Run: {@code java -jar bench/target/bastion-bench.jar TracingOverheadBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Threads(1)
public class TracingOverheadBench {
    private static final String[] NAMES = {"observe", "seal-gate", "audit-refusals", "authenticate", "context", "parse",
            "route", "inspect", "select", "registry", "authorize", "registry-gate", "transform", "evaluation-capture",
            "quota", "prepare", "audit"};
    private static final RequestHeaders WITH_PARENT = headers("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    private static final RequestHeaders NO_HEADERS = headers(null);

    Pipeline off;
    Pipeline unsampled;
    Pipeline sampled;
    final List<RequestTrace> finished = new ArrayList<>();
    final List<RequestTrace> batch = new ArrayList<>();
    OtlpSpans spans;
    final Sink sink = new Sink();

    @Setup
    public void setup() {
        List<Stage> stages = new ArrayList<>();
        for (String n : NAMES) stages.add(new Nothing(n));
        off = new Pipeline(stages, TracingOverheadBench::terminal);
        unsampled = new Pipeline(stages, TracingOverheadBench::terminal, new Tracer(0, false, t -> { }));
        sampled = new Pipeline(stages, TracingOverheadBench::terminal, new Tracer(1, true, t -> {
            if (finished.size() < 64) finished.add(t);
        }));
        spans = new OtlpSpans(Map.of("service.name", "bastion", "service.instance.id", "bench"), "bench");
        for (int i = 0; i < 64; i++) sampled.run(exchange(WITH_PARENT), sink);
        batch.addAll(finished);
    }

    @Benchmark
    public Exchange off() { return run(off, NO_HEADERS); }

    @Benchmark
    public Exchange unsampled() { return run(unsampled, NO_HEADERS); }

    @Benchmark
    public Exchange sampledRequestThread() {
        finished.clear();
        return run(sampled, WITH_PARENT);
    }

    /** Per trace: a batch of 64 traces encoded once, divided by 64 (see the class comment). */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(64)
    public void exportPerTrace(Blackhole bh) { bh.consume(spans.encode(batch)); }

    private Exchange run(Pipeline p, RequestHeaders headers) {
        Exchange e = exchange(headers);
        p.run(e, sink);
        return e;
    }

    private static Exchange exchange(RequestHeaders headers) {
        return new Exchange("req_bench", Instant.now(), System.nanoTime(), "127.0.0.1", headers, null,
                "model.invoke", max -> new byte[0]);
    }

    private static Completion terminal(Exchange exchange, dev.bastion.pipeline.ResponseFilter filter, ResponseSink sink) {
        RequestTrace trace = exchange.get(RequestTrace.class);
        if (trace != null) {
            BackendCall call = trace.backendCall("vllm", "chat", "chat");
            if (trace.traceparent(call).length() != 55) throw new IllegalStateException();
            call.end(200, null, 11, 7, false);
        }
        return new Completion(200, null, Completion.Result.OK, 11, 7, System.nanoTime());
    }

    private record Nothing(String name) implements Stage {
        @Override
        public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }
    }

    private static RequestHeaders headers(String traceparent) {
        return new RequestHeaders() {
            @Override
            public String first(String name) { return "traceparent".equalsIgnoreCase(name) ? traceparent : null; }

            @Override
            public List<String> all(String name) {
                String v = first(name);
                return v == null ? List.of() : List.of(v);
            }
        };
    }

    private static final class Sink implements ResponseSink {
        @Override public void sendJson(int status, byte[] body) { }
        @Override public void send(int status, String contentType, byte[] body) { }
        @Override public void sendProblem(Problem problem) { }
        @Override public OutputStream openEventStream() { return OutputStream.nullOutputStream(); }
        @Override public boolean committed() { return false; }
    }
}
