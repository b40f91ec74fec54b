package dev.bastion.route;

import dev.bastion.config.BackendSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Passive ejection with recovery, and the concurrency limit with its bounded queue, on a hand-driven clock. */
class BackendStateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private BackendState state(int maxConcurrency, int queue, Duration queueTimeout) {
        return new BackendState("b", new BackendSettings.Balancing(maxConcurrency, queue, queueTimeout, Duration.ZERO, 3,
                Duration.ofSeconds(5)), now::get);
    }

    @Test
    void consecutiveFailuresEjectForATimeThatDoublesAndOneSuccessOnTrialBringsItBack() {
        BackendState s = state(4, 0, Duration.ZERO);
        s.failed();
        s.failed();
        s.succeeded(); // the run is broken: counting starts again
        s.failed();
        s.failed();
        assertThat(s.unavailable()).isNull();
        s.failed();
        assertThat(s.unavailable()).isEqualTo("ejected");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(s.unavailable()).as("back on trial after 5 s").isNull();
        s.failed(); // one failure on trial is enough
        assertThat(s.unavailable()).isEqualTo("ejected");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(s.unavailable()).as("the second ejection lasts 10 s").isEqualTo("ejected");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(s.unavailable()).isNull();
        s.succeeded();
        s.failed();
        assertThat(s.unavailable()).as("recovered: three failures in a row again").isNull();
        assertThat(s.ejectionsTotal()).isEqualTo(2);
    }

    @Test
    void aFailedProbeTakesTheBackendOutUntilAProbeSucceeds() {
        BackendState s = state(4, 0, Duration.ZERO);
        s.probed(false);
        assertThat(s.unavailable()).isEqualTo("unhealthy");
        s.probed(true);
        assertThat(s.unavailable()).isNull();
    }

    @Test
    void callsBeyondTheLimitWaitInABoundedQueueAndTheRestAreTurnedAway() throws Exception {
        BackendState s = state(2, 1, Duration.ofSeconds(30));
        assertThat(s.acquire()).isTrue();
        assertThat(s.acquire()).isTrue();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        Thread queued = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            try {
                if (s.acquire()) granted.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.await();
        org.awaitility.Awaitility.await().until(() -> s.queued() == 1);
        assertThat(s.acquire()).as("the queue holds one").isFalse();
        s.release();
        queued.join();
        assertThat(granted).hasValue(1);
        assertThat(s.inFlight()).isEqualTo(2);
    }

    @Test
    void aShortQueueWaitTimesOut() throws Exception {
        BackendState s = state(1, 4, Duration.ofMillis(1));
        assertThat(s.acquire()).isTrue();
        assertThat(s.acquire()).isFalse();
        assertThat(s.queued()).isZero();
    }

    @Test
    void weightsShareTrafficWithinAPriorityGroupAndLowerGroupsComeFirst() {
        Route any = null;
        Target heavy = new Target(any, 0, 3), light = new Target(any, 0, 1), spare = new Target(any, 1, 100);
        var random = new java.util.SplittableRandom(7);
        int heavyFirst = 0;
        List<Target> last = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            List<Target> order = SelectStage.order(List.of(light, spare, heavy), random);
            if (order.getFirst() == heavy) heavyFirst++;
            last = order;
        }
        assertThat(heavyFirst / 20_000.0).isBetween(0.73, 0.77); // 3 : 1
        assertThat(last.getLast()).isSameAs(spare);
    }
}
