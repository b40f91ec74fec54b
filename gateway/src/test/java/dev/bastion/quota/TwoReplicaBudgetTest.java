package dev.bastion.quota;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas (two services, each with its own leases, over one database) admit requests from many threads at
 * once against one budget: together they never admit more than the budget, and once idle leases go back they use
 * it up to within one request's reservation.
 */
class TwoReplicaBudgetTest {
    private static final long LIMIT = 200_000;
    private static final int MAX_RESERVATION = 2_000;

    static java.util.stream.Stream<StoreConfig.Kind> kinds() { return TestStores.kinds(); }

    @ParameterizedTest
    @MethodSource("kinds")
    void twoReplicasUnderConcurrentLoadNeverExceedTheBudget(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind)) {
            AtomicLong nanos = new AtomicLong(0);
            QuotaSettings settings = new QuotaSettings(Map.of(), List.of(new QuotaRule("team-day",
                    QuotaRule.scope("attribute:team"), Map.of(Metric.TOKENS_PER_DAY, LIMIT))));
            List<String> alerts = new CopyOnWriteArrayList<>();
            QuotaService.ThresholdListener listener = (rule, metric, token, window, t, limit, used) -> alerts.add(rule + "@" + t);
            java.util.function.Function<String, byte[]> hash = v -> v.getBytes(StandardCharsets.UTF_8).length < 32
                    ? java.util.Arrays.copyOf(v.getBytes(StandardCharsets.UTF_8), 32) : v.getBytes(StandardCharsets.UTF_8);
            QuotaStore db = new QuotaStore(store.db());
            List<QuotaService> replicas = List.of(
                    new QuotaService(db, settings, hash, Clock.systemUTC(), nanos::get, listener),
                    new QuotaService(new QuotaStore(store.db()), settings, hash, Clock.systemUTC(), nanos::get, listener));
            AtomicLong admitted = new AtomicLong();
            int threads = kind == StoreConfig.Kind.POSTGRES ? 8 : 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                QuotaService replica = replicas.get(i % 2);
                long seed = i;
                workers.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    int refusals = 0;
                    while (refusals < 20) {
                        long completion = 100 + random.nextInt(MAX_RESERVATION - 200);
                        var request = new QuotaRequest(null, "p", Map.of("team", "blue"), "", "chat", 100, completion);
                        if (replica.admit(request) instanceof Admission.Admitted a) {
                            long used = random.nextLong(completion + 1);
                            admitted.addAndGet(100 + used);
                            replica.settle(a.ticket(), 100, used, true);
                        } else {
                            refusals++;
                        }
                    }
                }));
            }
            start.countDown();
            for (Thread t : workers) t.join();
            assertThat(admitted.get()).as("never more than the budget").isLessThanOrEqualTo(LIMIT);

            // idle leases go back to the store; then either replica can spend what is left
            nanos.addAndGet(2_000_000_000L);
            replicas.forEach(QuotaService::flush);
            for (QuotaService r : replicas) {
                while (r.admit(new QuotaRequest(null, "p", Map.of("team", "blue"), "", "chat", 100, 100))
                        instanceof Admission.Admitted a) {
                    admitted.addAndGet(200);
                    r.settle(a.ticket(), 100, 100, true);
                }
                nanos.addAndGet(2_000_000_000L);
                replicas.forEach(QuotaService::flush);
            }
            assertThat(admitted.get()).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - MAX_RESERVATION);
            CounterState state = replicas.getFirst().state().getFirst();
            assertThat(state.used()).isEqualTo(admitted.get());
            assertThat(state.allocated()).isLessThanOrEqualTo(LIMIT);
            assertThat(alerts).as("each threshold once, across replicas").containsExactlyInAnyOrder("team-day@80");
        }
    }
}
