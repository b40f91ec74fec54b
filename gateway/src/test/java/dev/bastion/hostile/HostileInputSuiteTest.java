package dev.bastion.hostile;

import dev.bastion.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input suite of issue 13: HTTP framing, JSON, headers, every admin route, the audit read API and the
 * operator routes, each request answered with its status and stable code — never a 500, a hang, a stack trace in
 * the log, or a byte to the backend. (The engine worker's socket has its own suite in the engine module.) A summary
 * by category and status is written to {@code target/hostile-input-summary.txt}.
 */
class HostileInputSuiteTest {
    static HostileFixture f;
    static final List<LogRecord> LOGGED = new ArrayList<>();
    static final Map<String, Map<Integer, Integer>> OUTCOMES = new ConcurrentHashMap<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public synchronized void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) LOGGED.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() throws Exception {
        f = new HostileFixture();
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        f.close();
        StringBuilder summary = new StringBuilder("category status cases\n");
        int total = 0;
        for (var cat : new TreeMap<>(OUTCOMES).entrySet()) {
            for (var s : new TreeMap<>(cat.getValue()).entrySet()) {
                summary.append(cat.getKey()).append(' ').append(s.getKey()).append(' ').append(s.getValue()).append('\n');
                total += s.getValue();
            }
        }
        summary.append("total ").append(total).append('\n');
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "hostile-input-summary.txt"), summary);
        synchronized (CAPTURE) {
            // the web server's and the API's own log (other tests may share this JVM and log for their reasons)
            assertThat(LOGGED.stream().filter(r -> r.getLoggerName() != null && (r.getLoggerName().startsWith("io.helidon")
                    || r.getLoggerName().startsWith("dev.bastion.api"))).toList())
                    .as("no hostile request put a stack trace in the log").noneMatch(r -> r.getThrown() != null);
        }
    }

    static Stream<HostileCase> cases() {
        return Stream.of(FramingCases.all(), JsonCases.all(), HeaderCases.all(), AdminCases.all(),
                AuditOperatorCases.all()).flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyHostileRequestGetsItsStatusAndStableCode(HostileCase c) throws Exception {
        int before = f.upstream.requestCount();
        RawHttp.Answer a = c.request().send(f);
        OUTCOMES.computeIfAbsent(c.category(), k -> new ConcurrentHashMap<>()).merge(a.status(), 1, Integer::sum);
        assertThat(a.status()).as(c + "\n" + a.head() + "\n" + a.body()).isEqualTo(c.status());
        assertThat(a.status()).as("never a server error").isNotIn(500, 502, 503, 504);
        assertThat(a.head()).as("every answer carries a request id").containsIgnoringCase("X-Bastion-Request-Id:");
        if (c.status() >= 400) {
            assertThat(a.code()).as(c + ": " + a.body()).isEqualTo(c.code());
            assertThat(a.body()).as("no stack trace or exception text in the answer")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        if (!c.reachesBackend()) {
            assertThat(f.upstream.requestCount()).as(c + ": nothing reached the backend").isEqualTo(before);
        }
    }
}
