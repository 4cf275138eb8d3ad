package io.eltcdc.destination.redshift;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * A connection that shows a test each call that runs SQL or ends a transaction, before passing it
 * on: the statement's text (as the loader wrote it, when this is the outermost wrapper), and
 * {@code setAutoCommit(…)}, {@code commit()}, {@code rollback()}. The listener may throw, which
 * makes the call fail as a server's error would.
 */
final class InterceptedConnection {
    private static final Set<String> TRANSACTION_METHODS = Set.of("setAutoCommit", "commit", "rollback");

    /** Sees each call before it runs. */
    @FunctionalInterface
    interface Listener {
        void before(String call) throws SQLException;
    }

    private InterceptedConnection() {}

    static Connection wrap(Connection connection, Listener listener) {
        return wrap(connection, Connection.class, listener);
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(T target, Class<T> type, Listener listener) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (args != null
                    && args.length > 0
                    && args[0] instanceof String sql
                    && SqlText.JDBC_METHODS_TAKING_SQL.contains(name)) {
                listener.before(sql);
            } else if (TRANSACTION_METHODS.contains(name) && type == Connection.class) {
                listener.before(name + "(" + (args == null ? "" : args[0]) + ")");
            }
            try {
                Object result = method.invoke(target, args);
                if (name.equals("createStatement") && result instanceof Statement statement) {
                    return wrap(statement, Statement.class, listener);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(InterceptedConnection.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
