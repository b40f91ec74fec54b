package dev.bastion.api;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.store.StoreException;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** An admin handler whose write found the database locked answers 503 store_busy (retry), any other store failure 500. */
class AdminTerminalTest {

    @Test
    void aWriteThatFoundTheDatabaseLockedIs503StoreBusyAndABrokenOneIs500() throws Exception {
        try (var h = TestStores.sqlite();
             Connection holder = h.db().dataSource().getConnection();
             Connection blocked = h.db().dataSource().getConnection()) {
            try (Statement s = holder.createStatement()) {
                s.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)");
                s.execute("PRAGMA busy_timeout = 50");
            }
            try (Statement s = blocked.createStatement()) {
                s.execute("PRAGMA busy_timeout = 50");
            }
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeUpdate("INSERT INTO things (id) VALUES (1)"); // the write lock, held until rollback
            }
            AdminHandler write = call -> {
                try (Statement s = blocked.createStatement()) {
                    s.executeUpdate("INSERT INTO things (id) VALUES (2)");
                    return Reply.json(201, java.util.Map.of());
                } catch (SQLException e) {
                    throw new StoreException("thing create", e);
                }
            };
            Sink busy = new Sink();
            Completion c = new AdminTerminal(write, json()).call(exchange(), null, busy);
            assertThat(c.status()).isEqualTo(503);
            assertThat(busy.problem.code()).isEqualTo(ErrorCode.STORE_BUSY);
            holder.rollback();

            AdminHandler broken = call -> {
                try (Statement s = blocked.createStatement()) {
                    s.executeUpdate("INSERT INTO no_such_table (id) VALUES (2)");
                    return Reply.json(201, java.util.Map.of());
                } catch (SQLException e) {
                    throw new StoreException("thing create", e);
                }
            };
            Sink failed = new Sink();
            assertThat(new AdminTerminal(broken, json()).call(exchange(), null, failed).status()).isEqualTo(500);
            assertThat(failed.problem.code()).isEqualTo(ErrorCode.INTERNAL);
        }
    }

    private static JsonBodies json() { return new JsonBodies(16, 64 * 1024, Duration.ofSeconds(5)); }

    private static Exchange exchange() {
        return new Exchange("req_test", Instant.now(), System.nanoTime(), null, RequestHeaders.NONE, null,
                "things.manage", max -> new byte[0]);
    }

    private static final class Sink implements ResponseSink {
        Problem problem;
        boolean committed;

        public void sendJson(int status, byte[] body) { committed = true; }

        public void send(int status, String contentType, byte[] body) { committed = true; }

        public void sendProblem(Problem p) {
            problem = p;
            committed = true;
        }

        public OutputStream openEventStream() { throw new UnsupportedOperationException(); }

        public boolean committed() { return committed; }
    }
}
