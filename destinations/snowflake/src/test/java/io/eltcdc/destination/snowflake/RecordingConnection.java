package io.eltcdc.destination.snowflake;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A JDBC connection that records every statement it is given, in order, and answers queries with
 * scripted rows: enough JDBC for the destination's session set-up, without a Snowflake account.
 * Prepared statements are recorded with their parameters: {@code SELECT … WHERE a = ? [x]}. A
 * method the fake does not know fails, naming it, so a test never passes by accident.
 */
final class RecordingConnection {
    /** Every statement, in the order it ran. */
    final List<String> statements = new ArrayList<>();

    private final Function<String, List<Map<String, Object>>> answers;
    private boolean valid = true;
    private boolean closed;

    /**
     * @param answers the rows a query returns (columns by name, in order; no rows for null); an
     *     {@code IllegalStateException} caused by an {@code SQLException} fails the statement with it
     */
    RecordingConnection(Function<String, List<Map<String, Object>>> answers) {
        this.answers = answers;
    }

    /** A connection whose queries all return no rows. */
    RecordingConnection() {
        this(sql -> List.of());
    }

    /** The connection is reported broken from now on ({@link Connection#isValid} false). */
    void breakIt() {
        valid = false;
    }

    boolean closed() {
        return closed;
    }

    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    Connection connection() {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "createStatement":
                            return statement(null);
                        case "prepareStatement":
                            return statement((String) args[0]);
                        case "isValid":
                            return valid && !closed;
                        case "isClosed":
                            return closed;
                        case "close":
                            closed = true;
                            return null;
                        case "setAutoCommit":
                            return null;
                        case "getAutoCommit":
                            return true;
                        default:
                            throw new UnsupportedOperationException("RecordingConnection: " + method);
                    }
                });
    }

    /** A statement; a prepared one when {@code prepared} holds its SQL. */
    private Statement statement(String prepared) {
        List<Object> parameters = new ArrayList<>();
        Class<?> type = prepared == null ? Statement.class : PreparedStatement.class;
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            String name = m.getName();
            if (name.startsWith("set") && a != null && a.length == 2 && a[0] instanceof Integer) {
                parameters.add(a[1]);
                return null;
            }
            if (name.equals("close")) {
                return null;
            }
            if (!name.startsWith("execute")) {
                throw new UnsupportedOperationException("RecordingConnection statement: " + m);
            }
            String sql = prepared != null ? prepared + (parameters.isEmpty() ? "" : " " + parameters) : (String) a[0];
            statements.add(sql);
            List<Map<String, Object>> answer;
            try {
                answer = answers.apply(sql);
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof SQLException failure) {
                    throw failure; // how a test makes a statement fail
                }
                throw e;
            }
            return switch (name) {
                case "executeQuery" -> resultSet(answer);
                case "execute" -> false;
                case "executeUpdate" -> 0;
                case "executeLargeUpdate" -> 0L;
                default -> throw new UnsupportedOperationException("RecordingConnection statement: " + m);
            };
        });
    }

    private static ResultSet resultSet(List<Map<String, Object>> scripted) {
        List<Map<String, Object>> rows = scripted == null ? List.of() : scripted;
        int[] at = {-1};
        return (ResultSet) Proxy.newProxyInstance(
                RecordingConnection.class.getClassLoader(), new Class<?>[] {ResultSet.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "next":
                            return ++at[0] < rows.size();
                        case "close":
                            return null;
                        case "getString":
                        case "getLong":
                        case "getInt":
                        case "getObject":
                            Map<String, Object> row = rows.get(at[0]);
                            Object value = a[0] instanceof Integer i
                                    ? new ArrayList<>(row.values()).get(i - 1)
                                    : row.get((String) a[0]);
                            if (m.getName().equals("getString")) {
                                return value == null ? null : value.toString();
                            }
                            if (m.getName().equals("getLong")) {
                                return value == null ? 0L : Long.parseLong(value.toString());
                            }
                            if (m.getName().equals("getInt")) {
                                return value == null ? 0 : Integer.parseInt(value.toString());
                            }
                            return value;
                        default:
                            throw new UnsupportedOperationException("RecordingConnection result set: " + m);
                    }
                });
    }
}
