package dev.bastion.barrier;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A spy between Bastion and the real JDBC driver: every SQL text and every value bound to a statement is recorded
 * before it goes to SQLite or PostgreSQL. Tests search the record for plaintext that must never get there.
 */
final class RecordingDataSource {
    final List<String> sql = new CopyOnWriteArrayList<>();
    final List<Object> bound = new CopyOnWriteArrayList<>();
    final DataSource dataSource;

    RecordingDataSource(DataSource real) {
        this.dataSource = proxy(DataSource.class, real);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        InvocationHandler h = (p, m, args) -> invoke(target, m, args);
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private Object invoke(Object target, Method m, Object[] args) throws Throwable {
        String name = m.getName();
        if (args != null) {
            if (name.startsWith("set") && target instanceof Statement && args.length >= 2) bound.add(args[1]);
            if ((name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"))
                    && args.length >= 1 && args[0] instanceof String s) sql.add(s);
        }
        Object result;
        try {
            result = m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof Connection c && m.getReturnType() == Connection.class) return proxy(Connection.class, c);
        if (result instanceof java.sql.CallableStatement cs) return proxy(java.sql.CallableStatement.class, cs);
        if (result instanceof java.sql.PreparedStatement ps) return proxy(java.sql.PreparedStatement.class, ps);
        if (result instanceof Statement s && m.getReturnType() == Statement.class) return proxy(Statement.class, s);
        return result;
    }
}
