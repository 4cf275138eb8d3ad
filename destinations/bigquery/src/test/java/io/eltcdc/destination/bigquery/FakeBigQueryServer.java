package io.eltcdc.destination.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Enough of BigQuery's REST API, on 127.0.0.1, to drive the client library offline: jobs (insert,
 * get, getQueryResults), tables (get, delete), datasets (get) and the resumable upload of load
 * jobs. Jobs finish at once; a load job creates its destination table and counts the rows of the
 * uploaded Avro container; a query job's rows come from {@link #answerQueries}; a
 * {@code CREATE TABLE} or {@code CREATE SCHEMA} statement creates what it names. Every request is
 * recorded; {@link #failNext} makes the next matching request fail with a status code.
 */
final class FakeBigQueryServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("/bigquery/v2/projects/([^/]+)/(.*)");
    /** The dataset of the anonymous result tables of query jobs (named after the job). */
    private static final String RESULTS = "_fake_results";

    /** A recorded request. */
    record Request(String method, String path, String query, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A scripted failure of the next request whose method and path match. */
    private record Failure(String method, Pattern path, int status, String reason) {}

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ObjectNode> jobs = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> tables = new ConcurrentHashMap<>();
    private final Set<String> datasets = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectNode> uploads = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploadBytes = new ConcurrentHashMap<>();
    private final List<byte[]> uploaded = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final Set<String> hiddenOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile Function<String, List<List<Object>>> answers = sql -> List.of();
    private final Map<String, String> failingQueries = new ConcurrentHashMap<>();

    FakeBigQueryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The rows a query job returns, by its SQL (values as JSON strings or null). */
    void answerQueries(Function<String, List<List<Object>>> answers) {
        this.answers = answers;
    }

    /** Query jobs whose SQL starts with {@code prefix} finish with {@code message} as their error. */
    void failQueries(String prefix, String message) {
        failingQueries.put(prefix, message);
    }

    synchronized void failNext(String method, String pathRegex, int status, String reason) {
        failures.add(new Failure(method, Pattern.compile(pathRegex), status, reason));
    }

    /** The next jobs.get of {@code jobId} answers 404, as if a concurrent try had not created it yet. */
    void hideJobOnce(String jobId) {
        hiddenOnce.add(jobId);
    }

    void addTable(String dataset, String table, String... columns) {
        ArrayNode fields = JSON.createArrayNode();
        for (String column : columns) {
            String[] nameType = column.split(" ", 2);
            fields.addObject().put("name", nameType[0]).put("type", nameType.length > 1 ? nameType[1] : "STRING");
        }
        putTable(dataset, table, fields);
    }

    /** A finished job, as an earlier try would have left it; {@code error} null for success. */
    void addJob(String jobId, ObjectNode configuration, String error, long outputRows) {
        ObjectNode job = job(jobId, configuration);
        if (error != null) {
            job.with("status").putObject("errorResult").put("reason", "invalid").put("message", error);
        }
        if (configuration.has("load")) {
            job.with("statistics").putObject("load").put("outputRows", Long.toString(outputRows));
        }
        jobs.put(jobId, job);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Request> requests(String method, String pathPart) {
        return requests().stream()
                .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
                .toList();
    }

    /** The submitted jobs' configurations, by job id, in submission order (uploads included). */
    Map<String, JsonNode> submittedJobs() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Request r : requests()) {
            if (r.method().equals("POST") && r.path().endsWith("/jobs")) {
                JsonNode job = r.json();
                out.put(job.path("jobReference").path("jobId").asText(), job.path("configuration"));
            }
        }
        return out;
    }

    List<byte[]> uploadedFiles() {
        return List.copyOf(uploaded);
    }

    boolean hasTable(String dataset, String table) {
        return tables.containsKey(dataset + "." + table);
    }

    ObjectNode job(String jobId) {
        return jobs.get(jobId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                raw = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
            }
            String body = new String(raw, StandardCharsets.ISO_8859_1);
            requests.add(new Request(method, path, query, method.equals("PUT") ? "" : utf8(body)));
            Failure failure = takeFailure(method, path);
            if (failure != null) {
                error(exchange, failure.status(), failure.reason(), "scripted failure");
                return;
            }
            if (path.startsWith("/upload/")) {
                upload(exchange, method, path, body);
                return;
            }
            Matcher api = API.matcher(path);
            if (!api.matches()) {
                error(exchange, 404, "notFound", "no such path " + path);
                return;
            }
            String project = api.group(1);
            String[] parts = api.group(2).split("/");
            if (parts[0].equals("jobs") && parts.length == 1 && method.equals("POST")) {
                insertJob(exchange, project, (ObjectNode) JSON.readTree(utf8(body)));
            } else if (parts[0].equals("jobs") && parts.length == 2 && method.equals("GET")) {
                ObjectNode job = jobs.get(decode(parts[1]));
                if (job == null || hiddenOnce.remove(decode(parts[1]))) {
                    error(exchange, 404, "notFound", "Not found: Job " + project + ":" + decode(parts[1]));
                } else {
                    send(exchange, 200, job);
                }
            } else if (parts[0].equals("queries") && parts.length == 2 && method.equals("GET")) {
                queryResults(exchange, decode(parts[1]));
            } else if (parts[0].equals("datasets") && parts.length == 2 && method.equals("GET")) {
                if (datasets.contains(decode(parts[1]))) {
                    ObjectNode dataset = JSON.createObjectNode();
                    dataset.putObject("datasetReference")
                            .put("projectId", project)
                            .put("datasetId", decode(parts[1]));
                    send(exchange, 200, dataset);
                } else {
                    error(exchange, 404, "notFound", "Not found: Dataset " + project + ":" + decode(parts[1]));
                }
            } else if (parts[0].equals("datasets")
                    && parts.length == 5
                    && decode(parts[1]).equals(RESULTS)
                    && parts[4].equals("data")) {
                tableData(exchange, decode(parts[3]));
            } else if (parts[0].equals("datasets") && parts.length == 4 && parts[2].equals("tables")) {
                String key = decode(parts[1]) + "." + decode(parts[3]);
                ObjectNode table = tables.get(key);
                if (method.equals("DELETE")) {
                    tables.remove(key);
                    exchange.sendResponseHeaders(table == null ? 404 : 204, -1);
                } else if (table == null) {
                    error(exchange, 404, "notFound", "Not found: Table " + project + ":" + key);
                } else {
                    send(exchange, 200, table);
                }
            } else {
                error(exchange, 501, "notImplemented", method + " " + path + " is not faked");
            }
        }
    }

    private synchronized Failure takeFailure(String method, String path) {
        Failure next = failures.peek();
        if (next != null
                && next.method().equals(method)
                && next.path().matcher(path).find()) {
            return failures.poll();
        }
        return null;
    }

    private void insertJob(HttpExchange exchange, String project, ObjectNode submitted) throws IOException {
        String id = submitted.path("jobReference").path("jobId").asText();
        if (jobs.containsKey(id)) {
            error(exchange, 409, "duplicate", "Already Exists: Job " + project + ":US." + id);
            return;
        }
        ObjectNode job = job(id, (ObjectNode) submitted.path("configuration"));
        JsonNode query = submitted.path("configuration").path("query").path("query");
        if (!query.isMissingNode()) {
            for (Map.Entry<String, String> failing : failingQueries.entrySet()) {
                if (query.asText().startsWith(failing.getKey())) {
                    job.with("status")
                            .putObject("errorResult")
                            .put("reason", "invalidQuery")
                            .put("message", failing.getValue());
                }
            }
            runDdl(query.asText());
            job.with("statistics").putObject("query").put("statementType", "SCRIPT");
        }
        JsonNode load = submitted.path("configuration").path("load");
        if (!load.isMissingNode()) {
            createTable(load.path("destinationTable"));
            job.with("statistics").putObject("load").put("outputRows", "0");
        }
        jobs.put(id, job);
        send(exchange, 200, job);
    }

    private static ObjectNode job(String id, ObjectNode configuration) {
        ObjectNode job = JSON.createObjectNode();
        job.put("kind", "bigquery#job").put("id", "test-project:US." + id);
        job.putObject("jobReference")
                .put("projectId", "test-project")
                .put("jobId", id)
                .put("location", "US");
        ObjectNode copy = configuration.deepCopy();
        if (copy.has("query")) { // results go to an anonymous table, read with tabledata.list
            ((ObjectNode) copy.get("query"))
                    .putObject("destinationTable")
                    .put("projectId", "test-project")
                    .put("datasetId", RESULTS)
                    .put("tableId", id);
        }
        job.set("configuration", copy);
        job.putObject("status").put("state", "DONE");
        long now = System.currentTimeMillis();
        job.putObject("statistics")
                .put("creationTime", Long.toString(now))
                .put("startTime", Long.toString(now))
                .put("endTime", Long.toString(now));
        return job;
    }

    private void queryResults(HttpExchange exchange, String jobId) throws IOException {
        ObjectNode job = jobs.get(jobId);
        if (job == null) {
            error(exchange, 404, "notFound", "Not found: Job " + jobId);
            return;
        }
        if (job.path("status").has("errorResult")) {
            error(
                    exchange,
                    400,
                    "invalidQuery",
                    job.path("status").path("errorResult").path("message").asText());
            return;
        }
        List<List<Object>> rows = answers.apply(
                job.path("configuration").path("query").path("query").asText(""));
        ObjectNode response = JSON.createObjectNode();
        response.put("kind", "bigquery#getQueryResultsResponse")
                .put("jobComplete", true)
                .put("totalRows", Integer.toString(rows.size()));
        response.set("jobReference", job.path("jobReference"));
        ArrayNode fields = response.putObject("schema").putArray("fields");
        int width = rows.isEmpty() ? 0 : rows.get(0).size();
        for (int i = 0; i < width; i++) {
            Object sample = rows.get(0).get(i);
            fields.addObject().put("name", "f" + i).put("type", sample instanceof Boolean ? "BOOLEAN" : "INTEGER");
        }
        send(exchange, 200, response);
    }

    private void tableData(HttpExchange exchange, String jobId) throws IOException {
        ObjectNode job = jobs.get(jobId);
        List<List<Object>> rows = job == null
                ? List.of()
                : answers.apply(
                        job.path("configuration").path("query").path("query").asText(""));
        ObjectNode response = JSON.createObjectNode();
        response.put("kind", "bigquery#tableDataList").put("totalRows", Integer.toString(rows.size()));
        ArrayNode out = response.putArray("rows");
        for (List<Object> row : rows) {
            ArrayNode f = out.addObject().putArray("f");
            for (Object value : row) {
                f.addObject().put("v", value == null ? null : value.toString());
            }
        }
        send(exchange, 200, response);
    }

    /** Resumable upload: POST starts a session, each PUT sends a chunk, the last one starts the job. */
    private void upload(HttpExchange exchange, String method, String path, String body) throws IOException {
        if (method.equals("POST")) {
            String session = "/upload/session/" + sessions.incrementAndGet();
            uploads.put(session, (ObjectNode) JSON.readTree(utf8(body)));
            uploadBytes.put(session, new ByteArrayOutputStream());
            exchange.getResponseHeaders().add("Location", host() + session);
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        ObjectNode submitted = uploads.get(path);
        if (submitted == null) {
            error(exchange, 404, "notFound", "no upload session " + path);
            return;
        }
        uploadBytes.get(path).write(body.getBytes(StandardCharsets.ISO_8859_1));
        String range = exchange.getRequestHeaders().getFirst("Content-Range");
        if (range != null && range.endsWith("*")) {
            exchange.sendResponseHeaders(308, -1); // resume incomplete: more chunks follow
            return;
        }
        byte[] file = uploadBytes.remove(path).toByteArray();
        uploaded.add(file);
        String id = submitted.path("jobReference").path("jobId").asText();
        if (jobs.containsKey(id)) {
            error(exchange, 409, "duplicate", "Already Exists: Job test-project:US." + id);
            return;
        }
        ObjectNode job = job(id, (ObjectNode) submitted.path("configuration"));
        createTable(submitted.path("configuration").path("load").path("destinationTable"));
        job.with("statistics").putObject("load").put("outputRows", Long.toString(countRows(file)));
        jobs.put(id, job);
        send(exchange, 200, job);
    }

    static long countRows(byte[] avro) throws IOException {
        long rows = 0;
        try (DataFileStream<GenericRecord> in =
                new DataFileStream<>(new ByteArrayInputStream(avro), new GenericDatumReader<>())) {
            while (in.hasNext()) {
                in.next();
                rows++;
            }
        }
        return rows;
    }

    private void createTable(JsonNode reference) {
        putTable(reference.path("datasetId").asText(), reference.path("tableId").asText(), JSON.createArrayNode());
    }

    private void putTable(String dataset, String table, ArrayNode fields) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", "bigquery#table").put("type", "TABLE");
        node.putObject("tableReference")
                .put("projectId", "test-project")
                .put("datasetId", dataset)
                .put("tableId", table);
        node.putObject("schema").set("fields", fields);
        datasets.add(dataset);
        tables.put(dataset + "." + table, node);
    }

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE IF NOT EXISTS `[^`]+`\\.`([^`]+)`\\.`([^`]+)` \\((.*)\\)( CLUSTER BY .*)?( OPTIONS .*)?",
            Pattern.DOTALL);
    private static final Pattern CREATE_SCHEMA =
            Pattern.compile("CREATE SCHEMA IF NOT EXISTS `[^`]+`\\.`([^`]+)`.*", Pattern.DOTALL);
    private static final Pattern ADD_COLUMN = Pattern.compile("ADD COLUMN IF NOT EXISTS `([^`]+)` ([A-Z0-9]+)");

    /** CREATE SCHEMA, CREATE TABLE and ALTER TABLE … ADD COLUMN change what the fake holds. */
    private void runDdl(String sql) {
        Matcher schema = CREATE_SCHEMA.matcher(sql);
        if (schema.matches()) {
            datasets.add(schema.group(1));
            return;
        }
        Matcher create = CREATE_TABLE.matcher(sql);
        if (create.matches()) {
            ArrayNode fields = JSON.createArrayNode();
            for (String definition : topLevel(create.group(3))) {
                Matcher m = Pattern.compile("\\s*`?([^`]+?)`? ([A-Z0-9]+)(\\((\\d+), (\\d+)\\))?.*", Pattern.DOTALL)
                        .matcher(definition);
                if (m.matches()) {
                    ObjectNode field =
                            fields.addObject().put("name", m.group(1)).put("type", apiType(m.group(2)));
                    if (m.group(3) != null) {
                        field.put("precision", m.group(4)).put("scale", m.group(5));
                    }
                }
            }
            putTable(create.group(1), create.group(2), fields);
            return;
        }
        Matcher alter = Pattern.compile("ALTER TABLE `[^`]+`\\.`([^`]+)`\\.`([^`]+)` (.*)", Pattern.DOTALL)
                .matcher(sql);
        if (alter.matches()) {
            ObjectNode table = tables.get(alter.group(1) + "." + alter.group(2));
            Matcher add = ADD_COLUMN.matcher(alter.group(3));
            while (table != null && add.find()) {
                ((ArrayNode) table.path("schema").path("fields"))
                        .addObject()
                        .put("name", add.group(1))
                        .put("type", apiType(add.group(2)));
            }
        }
    }

    /** The REST API names some types by their legacy SQL names. */
    private static String apiType(String ddl) {
        return switch (ddl) {
            case "INT64" -> "INTEGER";
            case "FLOAT64" -> "FLOAT";
            case "BOOL" -> "BOOLEAN";
            default -> ddl;
        };
    }

    /** The comma-separated parts of a column list, ignoring commas inside parentheses and quotes. */
    private static List<String> topLevel(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        out.add(list.substring(start));
        return out;
    }

    private static void error(HttpExchange exchange, int status, String reason, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status).put("message", message);
        error.putArray("errors")
                .addObject()
                .put("reason", reason)
                .put("message", message)
                .put("domain", "global");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
