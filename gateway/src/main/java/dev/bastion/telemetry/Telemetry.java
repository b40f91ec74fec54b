package dev.bastion.telemetry;

import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;
import dev.bastion.pipeline.StageObserver;
import dev.bastion.tls.UpstreamTls;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenTelemetry for one server: the {@link Tracer} the request chains report to and the trace exporter behind it,
 * and the OTLP metrics registry the Micrometer meters are also written to. Built from {@link TelemetrySettings}; the
 * collector is declared to the egress gate here, so it appears in the egress manifest. When telemetry is off,
 * {@link #tracer()} and {@link #meterRegistry()} are null and nothing runs.
 */
public final class Telemetry implements AutoCloseable {
    private final Tracer tracer;
    private final TraceExporter exporter;
    private final MeterRegistry meters;

    private Telemetry(Tracer tracer, TraceExporter exporter, MeterRegistry meters) {
        this.tracer = tracer;
        this.exporter = exporter;
        this.meters = meters;
    }

    public static Telemetry off() { return new Telemetry(null, null, null); }

    public static Telemetry start(TelemetrySettings s, EgressGate gate) {
        if (!s.enabled()) return off();
        TlsLayer tls = s.ca() == null ? null
                : UpstreamTls.create(new UpstreamTls.Config(s.ca(), List.of(), null, false))::wrap;
        OtlpHttp http = new OtlpHttp(gate, s.endpoint(), s.headers(), s.timeout(), tls);
        Map<String, String> resource = resource(s);
        String base = s.endpoint().toString().replaceAll("/+$", "");
        TraceExporter exporter = null;
        Tracer tracer = null;
        if (s.traces()) {
            exporter = new TraceExporter(http, URI.create(base + "/v1/traces"), new OtlpSpans(resource, version()),
                    s.maxQueued(), s.maxBatch(), s.exportInterval());
            tracer = new Tracer(s.sampleRatio(), s.parentBased(), exporter::offer);
        }
        MeterRegistry meters = s.metrics()
                ? OtlpMetrics.registry(http, URI.create(base + "/v1/metrics"), resource, s.metricsStep()) : null;
        return new Telemetry(tracer, exporter, meters);
    }

    /** What the request chains report stage timings to, or null when tracing is off. */
    public StageObserver tracer() { return tracer; }

    /** The OTLP metrics registry to add to the server's meters, or null when metrics export is off. */
    public MeterRegistry meterRegistry() { return meters; }

    public long exportedSpans() { return exporter == null ? 0 : exporter.exportedSpans(); }

    public long droppedSpans() { return exporter == null ? 0 : exporter.droppedSpans(); }

    public long failedExports() { return exporter == null ? 0 : exporter.failedExports(); }

    private static Map<String, String> resource(TelemetrySettings s) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("service.name", s.serviceName());
        r.put("service.version", version());
        r.put("service.instance.id", UUID.randomUUID().toString());
        r.putAll(s.resource());
        return r;
    }

    private static String version() {
        String v = Telemetry.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public void close() {
        if (meters != null) meters.close(); // pushes a last time
        if (exporter != null) exporter.close();
    }
}
