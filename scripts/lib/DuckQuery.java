import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs one SQL statement against a DuckDB database file, read-only, and prints the result rows as
 * tab-separated lines (NULL for SQL NULL; tabs, newlines and backslashes in values escaped as \t,
 * \n, \\). With {@code --header}, the column names come first. Uses the DuckDB driver inside the
 * elt-cdc jar, since no DuckDB CLI is needed:
 *
 * <pre>
 *   java -cp job/target/elt-cdc.jar scripts/lib/DuckQuery.java [--header] DB_FILE "SQL"
 * </pre>
 *
 * Exit codes: 0 done, 1 SQL or database error, 2 usage.
 */
public class DuckQuery {
    public static void main(String[] args) throws Exception {
        boolean header = args.length > 0 && args[0].equals("--header");
        int first = header ? 1 : 0;
        if (args.length - first != 2) {
            System.err.println("usage: java -cp elt-cdc.jar DuckQuery.java [--header] DB_FILE \"SQL\"");
            System.exit(2);
        }
        Path file = Path.of(args[first]);
        if (!Files.isRegularFile(file)) {
            System.err.println("error: no DuckDB file at " + file.toAbsolutePath());
            System.exit(1);
        }
        Class.forName("org.duckdb.DuckDBDriver");
        Properties props = new Properties();
        props.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
                Statement s = c.createStatement()) {
            if (s.execute(args[first + 1])) {
                try (ResultSet rs = s.getResultSet()) {
                    print(rs, header);
                }
            }
        } catch (SQLException e) {
            System.err.println("error: " + e.getMessage().replaceAll("\\s*\\R\\s*", " ").trim());
            System.exit(1);
        }
    }

    private static void print(ResultSet rs, boolean header) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        StringBuilder line = new StringBuilder();
        if (header) {
            for (int i = 1; i <= columns; i++) {
                line.append(i > 1 ? "\t" : "").append(escape(meta.getColumnLabel(i)));
            }
            System.out.println(line);
        }
        while (rs.next()) {
            line.setLength(0);
            for (int i = 1; i <= columns; i++) {
                String value = rs.getString(i);
                line.append(i > 1 ? "\t" : "").append(value == null ? "NULL" : escape(value));
            }
            System.out.println(line);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
