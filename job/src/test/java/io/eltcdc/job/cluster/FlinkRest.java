package io.eltcdc.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few calls of Flink's REST API the cluster tests read job states and metrics with. */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code <operator>.table.<table>.<metric>}: elt-cdc's per-table metrics, "." in the table name as "_". */
    private static final Pattern TABLE_METRIC = Pattern.compile(".*\\.table\\.(.+)\\.([A-Za-z]+)$");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public FlinkRest(String base) {
        this.base = base;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** {@code PATCH /jobs/<id>?mode=cancel}. */
    void cancel(String job) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    String state(String job) throws IOException, InterruptedException {
        return get("/jobs/" + job).path("state").asText();
    }

    /**
     * Per-table metrics of a running job, {@code table -> metric -> value}: the tasks' metrics
     * summed over subtasks ({@code /jobs/:id/vertices/:vid/subtasks/metrics?agg=sum}) and the
     * source coordinator's in the JobManager ({@code /jobs/:id/vertices/:vid/jm-operator-metrics}).
     */
    public Map<String, Map<String, Long>> tableMetrics(String job) throws IOException, InterruptedException {
        Map<String, Map<String, Long>> result = new HashMap<>();
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String vertexPath =
                    "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
            List<String> names = tableMetricNames(get(vertexPath + "/subtasks/metrics"));
            if (!names.isEmpty()) {
                for (JsonNode m : get(vertexPath + "/subtasks/metrics?agg=sum&get=" + join(names))) {
                    put(result, m.path("id").asText(), m.path("sum").asDouble());
                }
            }
            names = tableMetricNames(get(vertexPath + "/jm-operator-metrics"));
            if (!names.isEmpty()) {
                for (JsonNode m : get(vertexPath + "/jm-operator-metrics?get=" + join(names))) {
                    put(result, m.path("id").asText(), m.path("value").asDouble());
                }
            }
        }
        return result;
    }

    /** Names of the metrics a vertex reports, summed or (JobManager side) as they are. */
    List<String> metricNames(String job, String vertexId, boolean jobManagerSide)
            throws IOException, InterruptedException {
        String path = "/jobs/" + job + "/vertices/" + vertexId
                + (jobManagerSide ? "/jm-operator-metrics" : "/subtasks/metrics");
        return java.util.stream.StreamSupport.stream(get(path).spliterator(), false)
                .map(n -> n.path("id").asText())
                .toList();
    }

    private static List<String> tableMetricNames(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .map(n -> n.path("id").asText())
                .filter(id -> TABLE_METRIC.matcher(id).matches())
                .toList();
    }

    private static void put(Map<String, Map<String, Long>> result, String id, double value) {
        Matcher m = TABLE_METRIC.matcher(id);
        if (m.matches()) {
            result.computeIfAbsent(m.group(1), t -> new HashMap<>()).put(m.group(2), (long) value);
        }
    }

    private static String join(List<String> names) {
        return URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8);
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IOException(response.request().method() + " " + response.uri() + ": HTTP " + response.statusCode()
                    + " " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
