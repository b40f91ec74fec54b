package dev.bastion.route;

import dev.bastion.backend.BackendAnswer;
import dev.bastion.backend.ModelBackend;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.pipeline.ModelRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Active health checks take a backend out of rotation when its probe fails and bring it back when it passes. */
class HealthCheckerTest {

    @Test
    void aFailingProbeTakesTheBackendOutAndAPassingOneBringsItBackAtItsInterval() {
        AtomicBoolean up = new AtomicBoolean(true);
        AtomicInteger probes = new AtomicInteger();
        ModelBackend backend = new ModelBackend() {
            @Override
            public String name() { return "b"; }

            @Override
            public dev.bastion.backend.UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BackendAnswer send(dev.bastion.backend.UpstreamRequest prepared) { throw new UnsupportedOperationException(); }

            @Override
            public boolean probe() {
                probes.incrementAndGet();
                return up.get();
            }

            @Override
            public void close() { }
        };
        BackendSettings settings = new BackendSettings("b", BackendSettings.Type.OPENAI, URI.create("http://127.0.0.1:9/v1"),
                Secret.NONE, Duration.ofSeconds(1), Duration.ofSeconds(1), 4, Map.of(), null,
                new BackendSettings.Balancing(4, 0, Duration.ZERO, Duration.ofSeconds(2), 3, Duration.ofSeconds(5)));
        AtomicLong now = new AtomicLong();
        ModelCatalog catalog = new ModelCatalog(List.of(settings), List.of(new ModelSettings("m", "b", "m", Map.of())),
                Map.of("b", backend), now::get);
        try (HealthChecker checker = new HealthChecker(catalog, 3_600_000, now::get)) {
            up.set(false);
            checker.tick();
            Awaitility.await().until(() -> "unhealthy".equals(catalog.state("b").unavailable()));
            up.set(true);
            checker.tick(); // not due yet: 2 s have not passed
            assertThat(probes).hasValue(1);
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            checker.tick();
            Awaitility.await().until(() -> catalog.state("b").unavailable() == null);
            assertThat(probes).hasValue(2);
        }
    }
}
