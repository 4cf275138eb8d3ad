package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.postgres.PostgresSourceKind;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change events of tables the deserializer did not know at start: with capture-new-tables, a table
 * the patterns select is read from the catalog (with its custom key) and its records are emitted;
 * other tables, tables gone from the catalog, and every unknown table with the option off stay
 * dropped.
 */
class ChangeRecordDeserializerNewTableTest {
    private static final TableSchema ORDERS = new TableSchema(
            new TableId("shop", "orders"),
            List.of(new Column("id", ColumnType.INT64, 0, 0, false, "bigint")),
            List.of("id"));
    private static final Schema ROW = SchemaBuilder.struct()
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("op", Schema.STRING_SCHEMA)
            .field("source", SOURCE)
            .field("before", ROW)
            .field("after", ROW)
            .build();
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestPostgres.createDatabase("cdc_new_table_test");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE SCHEMA other");
            s.execute("CREATE TABLE shop.orders (id bigint PRIMARY KEY)");
            s.execute("CREATE TABLE shop.fresh (id bigint PRIMARY KEY, name text)");
            s.execute("CREATE TABLE shop.keyless (id bigint, name text)");
            s.execute("CREATE TABLE shop.keyed (id bigint, name text)");
            s.execute("CREATE TABLE other.fresh (id bigint PRIMARY KEY, name text)");
        }
    }

    @Test
    void aSelectedTableCreatedAfterTheStartIsReadFromTheCatalogAndCaptured() {
        ChangeRecordDeserializer deserializer = new ChangeRecordDeserializer(config(true));
        List<ChangeRecord> out = new ArrayList<>();

        deserializer.deserialize(insert("shop", "fresh", 1, "a", 100), collector(out));
        deserializer.deserialize(insert("shop", "fresh", 2, "b", 200), collector(out));
        deserializer.deserialize(insert("shop", "keyless", 3, "c", 300), collector(out));
        deserializer.deserialize(insert("shop", "keyed", 4, "d", 400), collector(out));

        assertThat(out)
                .extracting(r -> r.schema().id().toString())
                .containsExactly("shop.fresh", "shop.fresh", "shop.keyless", "shop.keyed");
        assertThat(out).allMatch(r -> r.op() == Op.INSERT);
        assertThat(out.get(0).schema().keyColumns()).containsExactly("id");
        assertThat(out.get(0).schema().columns()).extracting(Column::name).containsExactly("id", "name");
        assertThat(out.get(1).values()).containsExactly(2L, "b");
        assertThat(out.get(2).schema().hasKey())
                .as("a table without key is captured as the snapshot would")
                .isFalse();
        assertThat(out.get(3).schema().keyColumns()).as("custom key").containsExactly("name");
    }

    @Test
    void unselectedAndVanishedTablesStayDropped() {
        ChangeRecordDeserializer deserializer = new ChangeRecordDeserializer(config(true));
        List<ChangeRecord> out = new ArrayList<>();

        deserializer.deserialize(insert("other", "fresh", 1, "a", 100), collector(out));
        deserializer.deserialize(insert("shop", "gone", 1, "a", 200), collector(out));
        deserializer.deserialize(insert("shop", "gone", 2, "b", 300), collector(out));

        assertThat(out).isEmpty();
    }

    @Test
    void withTheOptionOffOnlyTheTablesOfTheStartAreCaptured() {
        ChangeRecordDeserializer deserializer = new ChangeRecordDeserializer(config(false));
        List<ChangeRecord> out = new ArrayList<>();

        deserializer.deserialize(insert("shop", "fresh", 1, "a", 100), collector(out));
        deserializer.deserialize(insert("shop", "orders", 1, null, 200), collector(out));

        assertThat(out).extracting(r -> r.schema().id()).containsExactly(ORDERS.id());
    }

    private static CdcSourceConfig config(boolean captureNewTables) {
        JdbcUrl parts = JdbcUrl.parse(url);
        return new CdcSourceConfig(
                PostgresSourceKind.INSTANCE,
                parts.host(),
                parts.port(),
                parts.database(),
                parts.user(),
                parts.password(),
                List.of(ORDERS),
                "elt_cdc_unused",
                "elt_cdc_unused",
                null,
                "UTC",
                Duration.ofSeconds(10),
                new TablePatterns(List.of("shop.*"), Map.of("shop.keyed", List.of("name"))),
                captureNewTables);
    }

    private static SourceRecord insert(String schema, String table, long id, String name, long lsn) {
        Struct source =
                new Struct(SOURCE).put("schema", schema).put("table", table).put("lsn", lsn);
        Struct after = new Struct(ROW).put("id", id).put("name", name);
        Struct value = new Struct(ENVELOPE).put("op", "c").put("source", source).put("after", after);
        return new SourceRecord(Map.of(), Map.of(), "topic", null, null, null, ENVELOPE, value);
    }

    private static Collector<ChangeRecord> collector(List<ChangeRecord> out) {
        return new Collector<>() {
            @Override
            public void collect(ChangeRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
