package dev.bastion.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeadlineSweeperTest {

    @Test
    void aKeyPastItsDeadlineIsExpiredOnceAndOneDisarmedInTimeNever() {
        List<String> expired = new CopyOnWriteArrayList<>();
        try (DeadlineSweeper<String> sweeper = new DeadlineSweeper<>("test-sweeper", Duration.ofMillis(5), expired::add)) {
            sweeper.arm("in-time", Duration.ofMillis(500).toNanos());
            sweeper.disarm("in-time");
            sweeper.arm("late", 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("late"));
            // a marker due after "in-time" was: once it expired, neither a kept "in-time" nor "late" again would hide
            sweeper.arm("marker", Duration.ofSeconds(1).toNanos());
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("marker"));
            assertThat(expired).containsExactly("late", "marker");
            assertThat(sweeper.armed()).isZero();
        }
    }

    @Test
    void anExpiryThatThrowsDoesNotStopTheSweeper() {
        List<String> expired = new CopyOnWriteArrayList<>();
        try (DeadlineSweeper<String> sweeper = new DeadlineSweeper<>("test-sweeper", Duration.ofMillis(5), key -> {
            expired.add(key);
            if (key.equals("first")) throw new IllegalStateException("socket already closed");
        })) {
            sweeper.arm("first", 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("first"));
            sweeper.arm("second", 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("second"));
        }
    }

    @Test
    void reArmingMovesTheDeadline() {
        List<String> expired = new CopyOnWriteArrayList<>();
        try (DeadlineSweeper<String> sweeper = new DeadlineSweeper<>("test-sweeper", Duration.ofMillis(5), expired::add)) {
            sweeper.arm("read", Duration.ofSeconds(1).toNanos());
            sweeper.arm("read", Duration.ofHours(1).toNanos());
            // the marker's deadline is after the first one of "read": once it expired, "read" would have too
            sweeper.arm("marker", Duration.ofMillis(1500).toNanos());
            await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains("marker"));
            assertThat(expired).containsExactly("marker");
            assertThat(sweeper.armed()).isEqualTo(1);
        }
    }
}
