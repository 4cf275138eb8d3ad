package io.eltcdc.destination.snowflake;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Reads a real Snowflake connection the way the contract suite reads PostgreSQL and DuckDB. Values
 * are not changed, only their Java classes:
 * <ul>
 *   <li>{@code getObject} of a NUMBER without scale: Snowflake's driver returns Long (or
 *       BigDecimal) for every precision; here NUMBER(≤10,0) gives Integer, NUMBER(≤19,0) Long,
 *       wider ones BigDecimal, as {@code integer}, {@code bigint} and {@code numeric} do elsewhere;
 *   <li>{@code getObject(i, LocalDate/LocalTime/LocalDateTime/OffsetDateTime)}, which the driver
 *       does not support, parse the value's text in the fixed output formats of the read session
 *       ({@link LiveSnowflake#readProperties()}).
 * </ul>
 * Everything else goes to the driver as it is.
 */
final class NormalizedReads {
    private NormalizedReads() {}

    static Connection of(Connection connection) {
        return wrap(connection, Connection.class);
    }

    private static <T> T wrap(T target, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(
                NormalizedReads.class.getClassLoader(), new Class<?>[] {type}, new Handler(target)));
    }

    private record Handler(Object target) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (target instanceof ResultSet r
                    && method.getName().equals("getObject")
                    && args.length == 1
                    && args[0] instanceof Integer column) {
                return number(r, column, r.getObject(column));
            }
            if (target instanceof ResultSet r
                    && method.getName().equals("getObject")
                    && args.length == 2
                    && args[0] instanceof Integer column
                    && args[1] instanceof Class<?> wanted) {
                Object time = time(r, column, wanted);
                if (time != null || r.getObject(column) == null) {
                    return time;
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof ResultSet r) {
                return wrap(r, ResultSet.class);
            }
            if (result instanceof java.sql.PreparedStatement s
                    && method.getReturnType() == java.sql.PreparedStatement.class) {
                return wrap(s, java.sql.PreparedStatement.class);
            }
            if (result instanceof Statement s && method.getReturnType() == Statement.class) {
                return wrap(s, Statement.class);
            }
            return result;
        }

        private static Object number(ResultSet r, int column, Object value) throws SQLException {
            ResultSetMetaData meta = r.getMetaData();
            if (value == null
                    || !(value instanceof Number n)
                    || meta.getScale(column) != 0
                    || meta.getColumnType(column) == Types.DOUBLE
                    || meta.getColumnType(column) == Types.FLOAT) {
                return value;
            }
            int precision = meta.getPrecision(column);
            if (precision <= 10) {
                return n.intValue();
            }
            return precision <= 19 ? (Object) n.longValue() : new BigDecimal(n.toString());
        }

        private static Object time(ResultSet r, int column, Class<?> wanted) throws SQLException {
            String text = r.getString(column);
            if (text == null) {
                return null;
            }
            if (wanted == LocalDate.class) {
                return LocalDate.parse(text);
            }
            if (wanted == LocalTime.class) {
                return LocalTime.parse(text);
            }
            if (wanted == LocalDateTime.class) {
                return LocalDateTime.parse(text);
            }
            if (wanted == OffsetDateTime.class) {
                return OffsetDateTime.parse(text);
            }
            return null;
        }
    }
}
