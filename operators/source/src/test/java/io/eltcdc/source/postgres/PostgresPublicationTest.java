package io.eltcdc.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publication per table and per schema: a publication of an earlier run is switched, tables
 * created later are in a per-schema publication, and adding one table is a no-op there.
 */
class PostgresPublicationTest {
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestPostgres.createDatabase("cdc_publication_test");
        exec(
                "CREATE SCHEMA shop",
                "CREATE SCHEMA other",
                "CREATE TABLE shop.orders (id bigint PRIMARY KEY)",
                "CREATE TABLE other.lines (id bigint PRIMARY KEY)");
    }

    @Test
    void aTablePublicationOfAnEarlierRunIsSwitchedToWholeSchemasAndBack() throws Exception {
        TableSchema orders = new TableSchema(
                ORDERS, List.of(new Column("id", ColumnType.INT64, 0, 0, false, "bigint")), List.of("id"));
        try (Connection c = DriverManager.getConnection(url)) {
            try {
                new PostgresSlotRecorder("elt_cdc_pub1", "elt_cdc_pub1").record(c, List.of(orders));
                assertThat(published(c, "elt_cdc_pub1")).containsExactly("shop.orders");

                new PostgresSlotRecorder("elt_cdc_pub1", "elt_cdc_pub1", List.of("shop")).record(c, List.of(orders));
                exec("CREATE TABLE shop.created_later (id int)");
                assertThat(published(c, "elt_cdc_pub1")).containsExactly("shop.created_later", "shop.orders");
                assertThat(new PostgresPublication("elt_cdc_pub1").addTable(c, new TableId("shop", "created_later")))
                        .as("already published by its schema")
                        .isFalse();

                new PostgresSlotRecorder("elt_cdc_pub1", "elt_cdc_pub1").record(c, List.of(orders));
                assertThat(published(c, "elt_cdc_pub1")).containsExactly("shop.orders");
            } finally {
                PostgresSlots.drop(c, "elt_cdc_pub1", "elt_cdc_pub1");
            }
        }
    }

    @Test
    void addingATableToATablePublicationAddsItOnce() throws Exception {
        PostgresPublication publication = new PostgresPublication("elt_cdc_pub2");
        try (Connection c = DriverManager.getConnection(url)) {
            try {
                publication.publishTables(c, List.of(ORDERS));
                TableId lines = new TableId("other", "lines");

                assertThat(publication.addTable(c, lines)).isTrue();
                assertThat(publication.addTable(c, lines)).isFalse();
                assertThat(published(c, "elt_cdc_pub2")).containsExactly("other.lines", "shop.orders");
            } finally {
                exec("DROP PUBLICATION IF EXISTS elt_cdc_pub2");
            }
        }
    }

    @Test
    void thisServerPublishesWholeSchemas() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            PostgresPublication.requireSchemaPublications(c); // PostgreSQL 15 here; older servers fail
        }
    }

    @Test
    void olderServersAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> PostgresPublication.checkVersion(140009, "14.9"))
                .isInstanceOf(java.sql.SQLException.class)
                .hasMessageContaining("source.capture-new-tables needs PostgreSQL 15 or later")
                .hasMessageContaining("PostgreSQL 14.9")
                .hasMessageContaining("Upgrade the server, or set source.capture-new-tables: false");
    }

    private static List<String> published(Connection c, String publication) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename"
                        + " FROM pg_publication_tables WHERE pubname = '" + publication + "' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void exec(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
