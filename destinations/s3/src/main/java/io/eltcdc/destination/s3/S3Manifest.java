package io.eltcdc.destination.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The manifest of one batch of one table: the S3 destination writes it after every data file of
 * the batch is in place, so a reader that trusts only manifests never sees part of a batch.
 *
 * <p>JSON, {@code manifest_version} 1:
 *
 * <pre>{@code
 * { "manifest_version": 1, "pipeline": "shop", "table": {"schema": "public", "name": "orders"},
 *   "batch_id": "3f0c…", "created_at": "2026-11-24T10:15:30.123Z", "format": "avro",
 *   "row_count": 1200, "min_position": "0", "max_position": "24157817",
 *   "files": [ { "path": "3f0c…-9a1b….avro", "uri": "s3://bucket/prefix/public/orders/3f0c…-9a1b….avro",
 *                "size_bytes": 52311, "row_count": 600, "min_position": "0", "max_position": "0",
 *                "schema_version": "v3f2a9c1d" }, … ],
 *   "schemas": [ { "version": "v3f2a9c1d", "key": ["id"],
 *                  "columns": [ {"name": "id", "type": "INT32", "source_type": "int4", "nullable": false}, … ],
 *                  "avro": { …the files' Avro schema… } } ] }
 * }</pre>
 *
 * A file's {@code path} is relative to the table's folder (the manifest's parent's parent);
 * {@code uri} is where it was written. Positions are decimal strings (they reach 2^126); they are
 * null for a batch without rows.
 *
 * @param files in file name order, each once
 * @param schemas the Avro schemas of the files, one per schema version
 */
public record S3Manifest(
        String pipeline,
        TableId table,
        String batchId,
        Instant createdAt,
        String format,
        List<FileEntry> files,
        List<Schema> schemas) {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public S3Manifest {
        files = List.copyOf(files);
        schemas = List.copyOf(schemas);
    }

    /**
     * One data file of the batch.
     *
     * @param path the file's name relative to the table's folder
     * @param uri the file's full URI when it was written
     * @param minPosition null for a file without rows
     */
    public record FileEntry(
            String path,
            String uri,
            long sizeBytes,
            long rowCount,
            Position minPosition,
            Position maxPosition,
            String schemaVersion) {}

    public long rowCount() {
        return files.stream().mapToLong(FileEntry::rowCount).sum();
    }

    /** The lowest position of the batch; null for a batch without rows. */
    public Position minPosition() {
        return files.stream()
                .map(FileEntry::minPosition)
                .filter(p -> p != null)
                .min(Position::compareTo)
                .orElse(null);
    }

    /** The highest position of the batch; null for a batch without rows. */
    public Position maxPosition() {
        return files.stream()
                .map(FileEntry::maxPosition)
                .filter(p -> p != null)
                .max(Position::compareTo)
                .orElse(null);
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("manifest_version", VERSION);
        root.put("pipeline", pipeline);
        ObjectNode t = root.putObject("table");
        t.put("schema", table.schema());
        t.put("name", table.table());
        root.put("batch_id", batchId);
        root.put("created_at", createdAt.toString());
        root.put("format", format);
        root.put("row_count", rowCount());
        root.put("min_position", text(minPosition()));
        root.put("max_position", text(maxPosition()));
        ArrayNode fileArray = root.putArray("files");
        for (FileEntry f : files) {
            ObjectNode o = fileArray.addObject();
            o.put("path", f.path());
            o.put("uri", f.uri());
            o.put("size_bytes", f.sizeBytes());
            o.put("row_count", f.rowCount());
            o.put("min_position", text(f.minPosition()));
            o.put("max_position", text(f.maxPosition()));
            o.put("schema_version", f.schemaVersion());
        }
        ArrayNode schemaArray = root.putArray("schemas");
        for (Schema avro : schemas) {
            TableSchema tableSchema = AvroSchemas.fromAvro(avro);
            ObjectNode o = schemaArray.addObject();
            o.put("version", tableSchema.version());
            ArrayNode key = o.putArray("key");
            tableSchema.keyColumns().forEach(key::add);
            ArrayNode columns = o.putArray("columns");
            for (Column c : tableSchema.columns()) {
                ObjectNode col = columns.addObject();
                col.put("name", c.name());
                col.put("type", c.type().name());
                if (c.type() == ColumnType.DECIMAL) {
                    col.put("precision", c.precision());
                    col.put("scale", c.scale());
                }
                col.put("source_type", c.sourceType());
                col.put("nullable", c.nullable());
            }
            try {
                o.set("avro", JSON.readTree(avro.toString()));
            } catch (IOException e) {
                throw new IllegalStateException("Avro schema is not JSON: " + e.getMessage(), e);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a manifest written by {@link #toJson()}. */
    public static S3Manifest read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        int version = root.path("manifest_version").asInt(-1);
        if (version != VERSION) {
            throw new IOException("unsupported manifest_version " + root.path("manifest_version"));
        }
        List<FileEntry> files = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            files.add(new FileEntry(
                    f.path("path").asText(),
                    f.path("uri").asText(),
                    f.path("size_bytes").asLong(),
                    f.path("row_count").asLong(),
                    position(f.path("min_position")),
                    position(f.path("max_position")),
                    f.path("schema_version").asText()));
        }
        List<Schema> schemas = new ArrayList<>();
        for (JsonNode s : root.path("schemas")) {
            schemas.add(new Schema.Parser().parse(JSON.writeValueAsString(s.path("avro"))));
        }
        JsonNode table = root.path("table");
        return new S3Manifest(
                root.path("pipeline").asText(),
                new TableId(table.path("schema").asText(), table.path("name").asText()),
                root.path("batch_id").asText(),
                Instant.parse(root.path("created_at").asText()),
                root.path("format").asText(),
                files,
                schemas);
    }

    /** The Avro schema of each version in the manifest. */
    public Map<String, Schema> schemasByVersion() {
        Map<String, Schema> out = new LinkedHashMap<>();
        for (Schema s : schemas) {
            out.put(AvroSchemas.fromAvro(s).version(), s);
        }
        return out;
    }

    private static String text(Position p) {
        return p == null ? null : p.toString();
    }

    private static Position position(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode()
                ? null
                : Position.of(new BigInteger(node.asText()));
    }
}
