package io.eltcdc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard {@code grafana/elt-cdc-dashboard.json}: well-formed for Grafana (ids, grid,
 * data source variable, queries), and every metric and label its PromQL names is one the job
 * exports. The names are not copied from the code: a short real pipeline (PostgreSQL to PostgreSQL,
 * an initial sync, then changes) runs in a mini-cluster with Flink's own Prometheus reporter, and
 * its {@code /metrics} page is read, as Prometheus reads it from a cluster's pods.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("grafana/elt-cdc-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_:]+");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|on|without|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)");

    private static JsonNode dashboard;

    @TempDir
    Path tmp;

    @BeforeAll
    static void read() throws IOException {
        dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    }

    @Test
    void isADashboardGrafanaImports() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("elt-cdc-pipeline");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<String> variables = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).containsExactly("datasource", "pipeline");

        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels();
        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique id of %s", title)
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("w").asInt()).as(title).isPositive();
            assertThat(grid.path("h").asInt()).as(title).isPositive();
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as("%s within Grafana's 24 columns", title)
                    .isLessThanOrEqualTo(24);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(target.path("refId").asText()).as(title).isNotBlank();
                assertThat(METRIC.matcher(expr).find())
                        .as("%s queries a Flink metric: %s", title, expr)
                        .isTrue();
                assertThat(expr)
                        .as("%s is scoped to the chosen pipeline", title)
                        .contains("job_name=~\"$pipeline\"");
                assertThat(balanced(expr))
                        .as("%s: balanced brackets in %s", title, expr)
                        .isTrue();
            }
        }
    }

    @Test
    void everyMetricAndLabelItQueriesIsOneTheJobExports() throws Exception {
        Map<String, Set<String>> queried = queriedMetricsAndLabels();
        Map<String, Set<String>> exported = exportedByARealRun(queried.keySet());
        for (Map.Entry<String, Set<String>> metric : queried.entrySet()) {
            assertThat(exported)
                    .as("metric %s is exported (the job exports %s)", metric.getKey(), new TreeSet<>(exported.keySet()))
                    .containsKey(metric.getKey());
            assertThat(exported.get(metric.getKey()))
                    .as("labels of %s", metric.getKey())
                    .containsAll(metric.getValue());
        }
    }

    /** Metric name to the labels the dashboard's queries use with it (grouping and matchers). */
    private static Map<String, Set<String>> queriedMetricsAndLabels() {
        List<String> exprs = new ArrayList<>();
        panels().forEach(p ->
                p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> exprs.add(v.path("definition").asText()));
        Map<String, Set<String>> queried = new HashMap<>();
        for (String expr : exprs) {
            // each aggregation in these queries applies to one metric: split at the binary operators
            for (String part : expr.split("\\s[/*+-]\\s|\\bon\\s*\\(")) {
                Matcher metric = METRIC.matcher(part);
                if (!metric.find()) {
                    continue;
                }
                Set<String> labels = queried.computeIfAbsent(metric.group(), k -> new HashSet<>());
                Matcher grouping = GROUPING.matcher(part);
                while (grouping.find()) {
                    for (String label : grouping.group(1).split(",")) {
                        labels.add(label.trim());
                    }
                }
                Matcher matcher = MATCHER.matcher(part);
                while (matcher.find()) {
                    Matcher label = LABEL.matcher(matcher.group(1));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
                Matcher values = Pattern.compile("label_values\\(\\s*flink_[A-Za-z0-9_:]+\\s*,\\s*([A-Za-z_]+)")
                        .matcher(part);
                if (values.find()) {
                    labels.add(values.group(1));
                }
            }
        }
        queried.values().forEach(labels -> labels.remove(""));
        return queried;
    }

    /**
     * Runs a pipeline with a WAL limit until its {@code /metrics} page shows every name in
     * {@code wanted} (or 90 s passed), and returns what the page showed: name to label names.
     */
    private Map<String, Set<String>> exportedByARealRun(Set<String> wanted) throws Exception {
        String sourceUrl = TestPostgres.createDatabase("dashboard_src");
        String destUrl = TestPostgres.createDatabase("dashboard_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.items (id bigint PRIMARY KEY, v text)");
            s.execute("INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        }
        PipelineConfig config = pipeline(sourceUrl, destUrl);
        List<TableSchema> tables = Preflight.check(config, System.out);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Configuration conf = FlinkSettings.forPipeline(config);
        conf.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(port));
        conf.setString("metrics.reporter.prom.interval", "1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PipelineTopology.build(env, config, tables, RunMode.CONTINUOUS);
        JobClient job = env.executeAsync(config.pipeline().name());
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Set<String>> exported = Map.of();
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int round = 0;
            while (System.nanoTime() < deadline) {
                s.execute("UPDATE public.items SET v = v || '.' WHERE id = " + (1 + round++ % 1000));
                exported = scrape(http, port);
                if (exported.keySet().containsAll(wanted)) {
                    break;
                }
                LockSupport.parkNanos(500_000_000L); // poll interval; the deadline bounds the wait
            }
        } finally {
            job.cancel().get();
            dropSlot(sourceUrl);
        }
        return exported;
    }

    /** Drops the pipeline's slot once the cancelled reader let go of it, so it holds no WAL on the shared server. */
    private static void dropSlot(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try (var rs = s.executeQuery(
                        "SELECT active FROM pg_replication_slots WHERE slot_name = 'elt_cdc_dashboard'")) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!rs.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the cancelled pipeline still holds its slot after 30 s");
                }
                LockSupport.parkNanos(200_000_000L); // poll interval; the deadline bounds the wait
            }
            s.execute("SELECT pg_drop_replication_slot('elt_cdc_dashboard')");
            s.execute("DROP PUBLICATION IF EXISTS elt_cdc_dashboard");
        }
    }

    private PipelineConfig pipeline(String sourceUrl, String destUrl) throws Exception {
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                        pipeline: { name: dashboard, parallelism: 1, checkpoint-interval: 1s }
                        source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                                  tables: [public.items], heartbeat-interval: 1s, max-log-retention: 1gb }
                        staging: { path: "file://%s", inactivity-interval: 1s }
                        destination: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                                       password: "%s", schema: copy }
                        """,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        tmp.resolve("staging"),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()),
                System::getenv);
    }

    /** The reporter's page: {@code name{label="…",…} value} lines, as name to label names. */
    private static Map<String, Set<String>> scrape(HttpClient http, int port) {
        String page;
        try {
            page = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return Map.of(); // the reporter's server is not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        Map<String, Set<String>> metrics = new HashMap<>();
        Pattern labelName = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"");
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Set<String> labels = metrics.computeIfAbsent(name, k -> new HashSet<>());
            if (brace >= 0 && brace < space) {
                Matcher m = labelName.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        return metrics;
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        return panels;
    }

    private static boolean balanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            }
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
