package dev.bastion.telemetry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code telemetry:} section: OpenTelemetry traces and metrics exported over OTLP/HTTP (protobuf) to one
 * collector. Off unless {@code endpoint} is set.
 *
 * @param endpoint       the collector's OTLP/HTTP base URL ({@code …/v1/traces} and {@code …/v1/metrics} are added)
 * @param serviceName    {@code service.name} of the exported resource
 * @param resource       further resource attributes ({@code deployment.environment}, …)
 * @param headers        request headers for the collector (e.g. an authorization token)
 * @param ca             PEM file of the CA that signs the collector's certificate (https; null: the JDK's trust store)
 * @param timeout        connect and read timeout of one export
 * @param traces         whether traces are exported
 * @param sampleRatio    share of requests traced when no sampled caller decided
 * @param parentBased    whether a caller's {@code traceparent} sampling flag decides for its request
 * @param exportInterval longest time a finished trace waits to be exported with others
 * @param maxQueued      finished traces held for export at most (more are dropped and counted)
 * @param maxBatch       traces per export request at most
 * @param metrics        whether the Micrometer meters are also pushed over OTLP (Prometheus scraping stays)
 * @param metricsStep    how often metrics are pushed
 */
public record TelemetrySettings(URI endpoint, String serviceName, Map<String, String> resource,
                                Map<String, String> headers, Path ca, Duration timeout, boolean traces,
                                double sampleRatio, boolean parentBased, Duration exportInterval, int maxQueued,
                                int maxBatch, boolean metrics, Duration metricsStep) {

    public static final TelemetrySettings OFF = new TelemetrySettings(null, "bastion", Map.of(), Map.of(), null,
            Duration.ofSeconds(10), false, 1.0, true, Duration.ofSeconds(1), 2048, 512, false, Duration.ofSeconds(30));

    public TelemetrySettings {
        resource = Map.copyOf(resource);
        headers = Map.copyOf(headers);
    }

    public boolean enabled() { return endpoint != null && (traces || metrics); }

    @Override
    public String toString() {
        // header values can be credentials
        return "TelemetrySettings[endpoint=" + endpoint + ", traces=" + traces + ", metrics=" + metrics
                + ", headers=" + headers.keySet() + "]";
    }
}
