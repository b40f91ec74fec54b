package dev.bastion.store;

import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A write that found the database locked by another writer is "busy" (503, retry); other failures are not. */
class StoreBusyTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aWriteBlockedByAnotherWritersLockIsBusyAndABrokenStatementIsNot(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind);
             Connection holder = h.db().dataSource().getConnection();
             Connection blocked = h.db().dataSource().getConnection()) {
            try (Statement s = holder.createStatement()) {
                s.execute("CREATE TABLE busy_probe (id INTEGER PRIMARY KEY, n INTEGER)");
                s.execute("INSERT INTO busy_probe (id, n) VALUES (1, 0)");
            }
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeUpdate("UPDATE busy_probe SET n = 1 WHERE id = 1"); // holds the write lock until rollback
            }
            try (Statement s = blocked.createStatement()) {
                // wait a moment, not the server's 10 s, for the lock
                s.execute(kind == StoreConfig.Kind.SQLITE ? "PRAGMA busy_timeout = 50" : "SET lock_timeout = '50ms'");
            }
            SQLException locked = catchThrowableOfType(SQLException.class, () -> {
                try (Statement s = blocked.createStatement()) {
                    s.executeUpdate("UPDATE busy_probe SET n = 2 WHERE id = 1");
                }
            });
            assertThat((Throwable) locked).as("the second writer waited and gave up").isNotNull();
            assertThat(new StoreException("probe", locked).busy()).isTrue();
            holder.rollback();

            SQLException broken = catchThrowableOfType(SQLException.class, () -> {
                try (Statement s = blocked.createStatement()) {
                    s.executeUpdate("UPDATE no_such_table SET n = 2");
                }
            });
            assertThat(new StoreException("probe", broken).busy()).isFalse();
        }
    }
}
