package dev.bastion.telemetry;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The metrics bridge: a Micrometer registry that pushes every Bastion meter (the same ones {@code /metrics} shows)
 * as OTLP metrics to the collector, its requests sent through the egress gate rather than Micrometer's own HTTP
 * client.
 */
final class OtlpMetrics {
    private OtlpMetrics() {}

    static MeterRegistry registry(OtlpHttp http, URI url, Map<String, String> resource, Duration step) {
        OtlpConfig config = new OtlpConfig() {
            @Override
            public String get(String key) { return null; }

            @Override
            public String url() { return url.toString(); }

            @Override
            public Duration step() { return step; }

            @Override
            public Map<String, String> resourceAttributes() { return resource; }
        };
        OtlpMetricsSender sender = request -> {
            if (!http.post(URI.create(request.getAddress()), request.getMetricsData())) {
                throw new IOException("the collector refused the metrics export");
            }
        };
        return OtlpMeterRegistry.builder(config).clock(Clock.SYSTEM).metricsSender(sender)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "bastion-metrics-export");
                    t.setDaemon(true);
                    return t;
                }).build();
    }
}
