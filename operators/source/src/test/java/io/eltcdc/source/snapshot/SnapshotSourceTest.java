package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The snapshot source in a Flink mini cluster with two readers: every row of every table arrives
 * exactly once, with values equal to the source's, typed as the pipeline's column types say.
 */
class SnapshotSourceTest {
    private static final int PARALLELISM = 2;
    private static final int ALL_TYPES_ROWS = 260;

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    private static String url;
    private static AllTypesTable allTypes;
    private static TimeZone jvmZone;

    @BeforeAll
    static void createTables() throws SQLException {
        // A JVM zone far from UTC, with a half-hour offset and a different offset in 1883: any
        // value read through the JVM's zone (instead of the session's UTC) would come out shifted.
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        url = TestPostgres.createDatabase("src_source");
        String money = TestSql.queryRows(url, "SELECT '12.34'::money::text")
                .get(0)
                .get(0)
                .toString();
        allTypes = new AllTypesTable(money);
        allTypes.create(url, ALL_TYPES_ROWS);
        exec(
                url,
                "CREATE SCHEMA hidden",
                "CREATE TABLE hidden.\"Odd Table\" (\"Order\" int PRIMARY KEY, \"Value\" text, \"quote\"\"d\" int)",
                "INSERT INTO hidden.\"Odd Table\" SELECT g, 'val ' || g, g * 2 FROM generate_series(1, 150) g",
                "CREATE TABLE public.composite (a int, b text, v numeric(10,2), PRIMARY KEY (a, b))",
                "INSERT INTO public.composite SELECT a, 'b' || b, a * b / 100.0 FROM generate_series(1, 12) a, generate_series(1, 25) b",
                "CREATE TABLE public.skewed (id bigint PRIMARY KEY, v text)",
                "INSERT INTO public.skewed SELECT g, 'dense' FROM generate_series(1, 200) g",
                "INSERT INTO public.skewed SELECT g * 1000000000000, 'sparse' FROM generate_series(1, 200) g",
                "CREATE TABLE public.text_key (k text PRIMARY KEY, n int)",
                "INSERT INTO public.text_key SELECT md5(g::text), g FROM generate_series(1, 250) g",
                "CREATE TABLE public.empty_t (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.keyless (v int, w text)",
                "INSERT INTO public.keyless SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'w' || g END FROM generate_series(1, 120) g",
                "CREATE TABLE public.parted (id int, k int, v text, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)",
                "CREATE TABLE public.parted_low PARTITION OF public.parted FOR VALUES FROM (0) TO (50)",
                "CREATE TABLE public.parted_high PARTITION OF public.parted FOR VALUES FROM (50) TO (100)",
                "INSERT INTO public.parted SELECT g, g % 100, 'p' || g FROM generate_series(1, 230) g");
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(jvmZone);
    }

    @Test
    void readsEveryRowOfEveryTableOnceWithExactValues() throws Exception {
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of("public.*", "hidden.Odd Table"))
                .chunkSize(100)
                .startPosition(new Position(0, 777))
                .build();

        Run run = run(new SnapshotSource(config));
        Map<TableId, List<ChangeRecord>> byTable = run.byTable();

        assertThat(byTable.keySet())
                .containsExactlyInAnyOrder(
                        table("public.all_types"),
                        table("hidden.Odd Table"),
                        table("public.composite"),
                        table("public.skewed"),
                        table("public.text_key"),
                        table("public.keyless"),
                        table("public.parted"));
        byTable.values()
                .forEach(records -> assertThat(records).allSatisfy(r -> {
                    assertThat(r.op()).isEqualTo(Op.READ);
                    assertThat(r.position()).isEqualTo(new Position(0, 777));
                }));

        assertAllTypes(byTable.get(table("public.all_types")));
        assertSameRows(
                byTable, "hidden.Odd Table", "SELECT \"Order\", \"Value\", \"quote\"\"d\" FROM hidden.\"Odd Table\"");
        assertThat(byTable.get(table("hidden.Odd Table")).get(0).schema().columns())
                .extracting(Column::name)
                .containsExactly("Order", "Value", "quote\"d");
        assertSameRows(byTable, "public.composite", "SELECT a, b, v FROM public.composite");
        assertSameRows(byTable, "public.skewed", "SELECT id, v FROM public.skewed");
        assertSameRows(byTable, "public.text_key", "SELECT k, n FROM public.text_key");
        assertSameRows(byTable, "public.keyless", "SELECT v, w FROM public.keyless");
        assertSameRows(byTable, "public.parted", "SELECT id, k, v FROM public.parted");

        // reader counters and enumerator gauges, per table
        assertThat(metric(run.jobId(), "public.all_types", "rowsRead")).isEqualTo(ALL_TYPES_ROWS);
        assertThat(metric(run.jobId(), "public.all_types", "chunksFinished")).isEqualTo(3);
        assertThat(metric(run.jobId(), "public.all_types", "chunksTotal")).isEqualTo(3);
        assertThat(metric(run.jobId(), "public.all_types", "rowCountEstimate")).isEqualTo(ALL_TYPES_ROWS);
        assertThat(metric(run.jobId(), "hidden.Odd Table", "rowsRead")).isEqualTo(150);
        assertThat(metric(run.jobId(), "public.empty_t", "rowsRead")).isZero();
        assertThat(metric(run.jobId(), "public.empty_t", "chunksFinished")).isEqualTo(1);
        assertThat(metric(run.jobId(), "public.empty_t", "chunksTotal")).isEqualTo(1);
        assertThat(metric(run.jobId(), "public.skewed", "chunksFinished"))
                .isEqualTo(metric(run.jobId(), "public.skewed", "chunksTotal"));
    }

    @Test
    void aRestoredChunkReadsOnlyTheRowsAfterItsLastKey() throws Exception {
        SnapshotSourceConfig config = TestSql.config(url, 100, "hidden.Odd Table");
        TableSchema schema = TestSql.schema(url, "hidden.Odd Table");
        // As a checkpoint holds it: chunk (40, 120], rows up to key 113 already emitted.
        ChunkSplit restored = ChunkSplit.keyRange(schema, 1, false, new Object[] {40}, new Object[] {120})
                .withProgress(new Object[] {113}, null);
        SnapshotEnumeratorState state = new SnapshotEnumeratorState(
                true, Position.SNAPSHOT, List.of(), List.of(restored), Map.of(schema.id(), new TableProgress()));

        List<ChangeRecord> records =
                run(new FromCheckpoint(new SnapshotSource(config), state)).get(schema.id());

        assertThat(records).extracting(r -> r.value(0)).containsExactlyInAnyOrder(114, 115, 116, 117, 118, 119, 120);
        assertThat(records)
                .extracting(r -> r.value(1))
                .containsExactlyInAnyOrder("val 114", "val 115", "val 116", "val 117", "val 118", "val 119", "val 120");
    }

    private void assertAllTypes(List<ChangeRecord> records) {
        TableSchema schema = records.get(0).schema();
        assertThat(schema.columns()).extracting(Column::name).containsExactlyElementsOf(allTypes.columnNames());
        List<ChangeRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(r -> (Integer) r.value(0)));
        assertThat(sorted)
                .extracting(r -> r.value(0))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, ALL_TYPES_ROWS)
                        .boxed()
                        .toList());
        for (ChangeRecord record : sorted) {
            int id = (Integer) record.value(0);
            Object[] expected = allTypes.expectedRow(id);
            for (int col = 0; col < expected.length; col++) {
                Column column = schema.columns().get(col);
                Object actual = record.value(col);
                String what = "row " + id + " column " + column.name() + " (" + column.sourceType() + ")";
                if (expected[col] == null) {
                    assertThat(actual).as(what).isNull();
                    continue;
                }
                assertThat(actual).as(what).isNotNull();
                assertThat(actual.getClass()).as(what).isEqualTo(column.type().javaClass());
                if (actual instanceof byte[] bytes) {
                    assertThat(bytes).as(what).isEqualTo((byte[]) expected[col]);
                } else {
                    assertThat(actual).as(what).isEqualTo(expected[col]);
                }
            }
        }
    }

    /** The records of {@code table} hold the same rows as {@code sql} returns (JDBC's classes match the column types here). */
    private static void assertSameRows(Map<TableId, List<ChangeRecord>> byTable, String table, String sql)
            throws SQLException {
        List<List<Object>> expected = TestSql.queryRows(url, sql);
        List<List<Object>> actual = byTable.get(table(table)).stream()
                .map(r -> Arrays.asList(r.values()))
                .toList();
        assertThat(actual).as(table).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static TableId table(String name) {
        return TableId.parse(name);
    }

    /** A finished run: the records by table, and the job's id (to find its metrics). */
    private record Run(Map<TableId, List<ChangeRecord>> byTable, JobID jobId) {
        List<ChangeRecord> get(TableId table) {
            return byTable.get(table);
        }
    }

    private static Run run(Source<ChangeRecord, ?, ?> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        Map<TableId, List<ChangeRecord>> byTable = new HashMap<>();
        try (CloseableIterator<ChangeRecord> records = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "snapshot")
                .collectAsync()) {
            JobClient job = env.executeAsync("snapshot");
            records.forEachRemaining(r ->
                    byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r));
            job.getJobExecutionResult().get();
            return new Run(byTable, job.getJobID());
        }
    }

    /**
     * The sum over the job's metric {@code name} of group {@code table=<table>} (readers report one
     * per subtask).
     */
    private static long metric(JobID job, String table, String name) {
        long sum = 0;
        boolean found = false;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> variables = group.getKey().getAllVariables();
            Metric m = group.getValue().get(name);
            if (m != null
                    && job.toString().equals(variables.get("<job_id>"))
                    && table.equals(variables.get("<table>"))) {
                found = true;
                sum += m instanceof Counter counter
                        ? counter.getCount()
                        : ((Number) ((Gauge<?>) m).getValue()).longValue();
            }
        }
        assertThat(found).as("metric %s of table %s", name, table).isTrue();
        return sum;
    }

    /**
     * The snapshot source started from a given enumerator checkpoint, as Flink starts it on restore
     * (the state travels in its checkpoint form, which is how a source must be serializable).
     */
    private static final class FromCheckpoint
            implements Source<ChangeRecord, ChunkSplit, SnapshotEnumeratorState>, ResultTypeQueryable<ChangeRecord> {
        private final SnapshotSource source;
        private final byte[] checkpoint;

        FromCheckpoint(SnapshotSource source, SnapshotEnumeratorState state) throws IOException {
            this.source = source;
            this.checkpoint = SnapshotEnumeratorStateSerializer.INSTANCE.serialize(state);
        }

        @Override
        public Boundedness getBoundedness() {
            return source.getBoundedness();
        }

        @Override
        public SplitEnumerator<ChunkSplit, SnapshotEnumeratorState> createEnumerator(
                SplitEnumeratorContext<ChunkSplit> context) throws Exception {
            SimpleVersionedSerializer<SnapshotEnumeratorState> states = getEnumeratorCheckpointSerializer();
            return source.restoreEnumerator(context, states.deserialize(states.getVersion(), checkpoint));
        }

        @Override
        public SplitEnumerator<ChunkSplit, SnapshotEnumeratorState> restoreEnumerator(
                SplitEnumeratorContext<ChunkSplit> context, SnapshotEnumeratorState state) {
            return source.restoreEnumerator(context, state);
        }

        @Override
        public SimpleVersionedSerializer<ChunkSplit> getSplitSerializer() {
            return source.getSplitSerializer();
        }

        @Override
        public SimpleVersionedSerializer<SnapshotEnumeratorState> getEnumeratorCheckpointSerializer() {
            return source.getEnumeratorCheckpointSerializer();
        }

        @Override
        public SourceReader<ChangeRecord, ChunkSplit> createReader(SourceReaderContext context) throws Exception {
            return source.createReader(context);
        }

        @Override
        public TypeInformation<ChangeRecord> getProducedType() {
            return source.getProducedType();
        }
    }
}
