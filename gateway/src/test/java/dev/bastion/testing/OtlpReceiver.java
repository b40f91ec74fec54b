package dev.bastion.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A small OpenTelemetry collector for tests: an OTLP/HTTP receiver ({@code POST /v1/traces}, {@code /v1/metrics},
 * protobuf bodies, as the OTLP specification defines them) that parses every export with the OTLP protobuf
 * messages and keeps it. Answers 200 with an empty export response, or 503 while {@link #refuse} is on.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", ex -> take(ex, true));
        server.createContext("/v1/metrics", ex -> take(ex, false));
        server.start();
    }

    /** The endpoint to configure ({@code telemetry.endpoint}). */
    public URI endpoint() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    public void refuse(boolean refuse) { this.refuse = refuse; }

    private void take(HttpExchange ex, boolean isTraces) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            contentTypes.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            if (!"POST".equals(ex.getRequestMethod()) || refuse) {
                ex.sendResponseHeaders(refuse ? 503 : 405, -1);
                return;
            }
            if (isTraces) traces.add(ExportTraceServiceRequest.parseFrom(body));
            else metrics.add(ExportMetricsServiceRequest.parseFrom(body));
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, 0);
        }
    }

    public List<ExportTraceServiceRequest> traceExports() { return traces; }

    public List<ExportMetricsServiceRequest> metricExports() { return metrics; }

    public List<String> contentTypes() { return contentTypes; }

    /** Every span received so far. */
    public List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : traces) {
            for (ResourceSpans rs : r.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) out.addAll(ss.getSpansList());
            }
        }
        return out;
    }

    /** The spans of one trace (id as 32 hex digits). */
    public List<Span> trace(String traceId) {
        return spans().stream().filter(s -> hex(s.getTraceId().toByteArray()).equals(traceId)).toList();
    }

    public static String hex(byte[] id) { return HexFormat.of().formatHex(id); }

    @Override
    public void close() { server.stop(0); }
}
