package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestGateway;
import dev.bastion.store.Database;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIEM export against a real rsyslog over TLS: RFC 5424 on one port, CEF on another, JSON lines to a file. Every
 * sequenced entry arrives exactly once in each, across a restart of Bastion (the cursor advances only after a
 * batch is flushed, and an orderly stop waits for the receiver to read everything) and across a restart of the
 * receiver (its closing is noticed before anything more is written).
 */
class SiemExportRsyslogTest {
    private static final Pattern SYSLOG_INDEX = Pattern.compile("^<(\\d+)>1 \\S+ \\S+ bastion - \\S+ \\[bastion@32473 "
            + "origin=\"[^\"]+\" index=\"(\\d+)\" kind=\"bastion\\.audit\\.[a-z_]+/v1\"] \\{");
    /** CEF travels as the text of a syslog message. */
    private static final Pattern CEF_INDEX = Pattern.compile("^<\\d+>1 .*\\] CEF:0\\|Bastion\\|Bastion\\|1\\|[a-z_]+\\|"
            + "bastion\\.audit\\.[a-z_]+/v1\\|\\d+\\|.* cn1Label=leafIndex cn1=(\\d+) ");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEntryArrivesExactlyOnceInEachFormatAcrossRestarts() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Rsyslog.installed(), "rsyslog is installed by .ci/run");
        Path dir = Files.createTempDirectory("bastion-siem");
        Path data = dir.resolve("data");
        try (var upstream = new StandInUpstream(); var rsyslog = new Rsyslog(dir.resolve("rsyslog"), 2)) {
            rsyslog.start();
            String yaml = """
                    data-dir: %s
                    siem:
                      - name: soc
                        format: rfc5424
                        transport: tls
                        host: localhost
                        port: %d
                        ca: %s
                      - name: soc-cef
                        format: cef
                        transport: tls
                        host: 127.0.0.1
                        port: %d
                        ca: %s
                      - name: archive
                        format: json
                        transport: file
                        file: %s
                    """.formatted(data, rsyslog.ports[0], rsyslog.ca, rsyslog.ports[1], rsyslog.ca, dir.resolve("audit.jsonl"));
            long sequenced;
            long after;
            String admin;
            try (TestGateway gw = TestGateway.start(upstream, yaml)) {
                admin = gw.adminKey;
                requests(gw, admin, 5);
                sequenced = sequenced(data);
                await(() -> complete(rsyslog, dir, sequenced));
            }
            // the receiver restarts while Bastion is down, and Bastion restarts on the same store
            rsyslog.stop();
            rsyslog.start();
            try (TestGateway gw = TestGateway.start(upstream, yaml)) {
                requests(gw, admin, 5);
                long before = sequenced(data);
                await(() -> complete(rsyslog, dir, before));
                // the receiver restarts while Bastion runs: nothing is lost, nothing doubled
                rsyslog.stop();
                rsyslog.start();
                requests(gw, admin, 3);
                after = sequenced(data);
                await(() -> complete(rsyslog, dir, after));
            }
            // entries appended while Bastion stops (pending refusal counts) go out at its next start
            long total = after;
            assertThat(total).isGreaterThan(20);
            assertExactlyOnce(indexes(rsyslog.received(0), SYSLOG_INDEX, 2), total, "rfc5424");
            assertExactlyOnce(indexes(rsyslog.received(1), CEF_INDEX, 1), total, "cef");
            assertExactlyOnce(jsonIndexes(dir.resolve("audit.jsonl")), total, "json");
            // the syslog priority is facility 13 (log audit) with a severity by kind
            assertThat(rsyslog.received(0)).allMatch(l -> l.startsWith("<108>") || l.startsWith("<109>")
                    || l.startsWith("<110>"));
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private static void requests(TestGateway gw, String admin, int n) throws Exception {
        String key = gw.createKey(admin, "{\"name\":\"app\"}");
        for (int i = 0; i < n; i++) {
            assertThat(gw.chat(key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
        }
        assertThat(gw.chat("bst_nope", "{}").statusCode()).isEqualTo(401); // a refusal is exported too
    }

    /** Entries sequenced so far, once the complete entries of answered requests are in. */
    private static long sequenced(Path data) throws Exception {
        try (Database db = Database.open(dev.bastion.store.StoreConfig.sqlite(data.resolve("bastion.db")));
             var c = db.connection(); var q = c.prepareStatement("SELECT next_index FROM audit_sequence")) {
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean complete(Rsyslog r, Path dir, long n) throws Exception {
        return indexes(r.received(0), SYSLOG_INDEX, 2).keySet().size() >= n
                && indexes(r.received(1), CEF_INDEX, 1).keySet().size() >= n
                && jsonIndexes(dir.resolve("audit.jsonl")).keySet().size() >= n;
    }

    private static Map<Long, Integer> indexes(List<String> lines, Pattern p, int group) {
        Map<Long, Integer> seen = new HashMap<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            assertThat(m.find()).as("well-formed: " + l).isTrue();
            seen.merge(Long.parseLong(m.group(group)), 1, Integer::sum);
        }
        return seen;
    }

    private static Map<Long, Integer> jsonIndexes(Path file) throws Exception {
        Map<Long, Integer> seen = new HashMap<>();
        if (!Files.exists(file)) return seen;
        for (String l : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(l);
            assertThat(n.path("entry").path("kind").asText()).startsWith("bastion.audit.");
            seen.merge(n.path("index").asLong(), 1, Integer::sum);
        }
        return seen;
    }

    private static void assertExactlyOnce(Map<Long, Integer> seen, long total, String what) {
        for (long i = 0; i < total; i++) assertThat(seen.get(i)).as(what + " entry " + i).isEqualTo(1);
        assertThat(seen.values()).as(what + ": nothing twice").allMatch(n -> n == 1);
    }

    private static void await(Callable<Boolean> c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not delivered within 30 s");
            LockSupport.parkNanos(20_000_000);
        }
    }
}
