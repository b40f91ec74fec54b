package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.store.StoreException;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** An admin handler whose write found the database locked answers 503 store_busy (retry); any other failure 500. */
class AdminTerminalTest {

    @Test
    void aWriteThatFoundTheDatabaseLockedIs503StoreBusyAndABrokenOneIs500() throws Exception {
        try (var h = TestStores.sqlite();
             Connection holder = h.db().dataSource().getConnection();
             Connection blocked = h.db().dataSource().getConnection()) {
            try (Statement s = holder.createStatement()) {
                s.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)");
            }
            try (Statement s = blocked.createStatement()) {
                s.execute("PRAGMA busy_timeout = 50");
            }
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeUpdate("INSERT INTO things (id) VALUES (1)"); // the write lock, held until rollback
            }
            SQLException locked = catchThrowableOfType(SQLException.class, () -> insert(blocked, "things"));
            holder.rollback();
            SQLException broken = catchThrowableOfType(SQLException.class, () -> insert(blocked, "no_such_table"));

            assertThat(AdminTerminal.failure("things.manage", new StoreException("thing create", locked)).code())
                    .isEqualTo(ErrorCode.STORE_BUSY);
            assertThat(AdminTerminal.failure("things.manage", new StoreException("thing create", broken)).code())
                    .isEqualTo(ErrorCode.INTERNAL);
            assertThat(AdminTerminal.failure("things.manage", new IllegalStateException("x")).code())
                    .isEqualTo(ErrorCode.INTERNAL);
        }
    }

    private static void insert(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " (id) VALUES (2)");
        }
    }
}
