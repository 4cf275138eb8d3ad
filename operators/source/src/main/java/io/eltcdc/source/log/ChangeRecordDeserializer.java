package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.source.dialect.SourceKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Debezium change events of the captured tables into {@link ChangeRecord}s of the same table
 * schemas the snapshot used, with the operation and the log position ({@link LogPositions}).
 *
 * <ul>
 *   <li>Heartbeats, schema-change events and tombstones carry no row and are dropped.
 *   <li>A delete carries the row's key from the event's before-image (PostgreSQL's default replica
 *       identity logs only the key, so the other columns are null).
 *   <li>An update that changes the key is a delete of the old key and an insert of the new one (the
 *       connectors already emit it so; the check here keeps it so whatever they do).
 *   <li>PostgreSQL does not log unchanged TOASTed values; Debezium puts a placeholder there, which
 *       never reaches the destination: the column is marked unchanged and the loader keeps the value
 *       it has. When the update also changed the key, the destination has no row of the new key to
 *       keep a value of: the value is read from the source ({@link UnloggedValueFetcher}). So it is
 *       when the snapshot is read beside the log and the table's snapshot is not complete: the
 *       destination may not have the row yet ({@link IncompleteSnapshots}).
 *   <li>Events of tables it does not know are dropped, unless tables created after the start are
 *       captured ({@code source.capture-new-tables}) and the patterns select the table: it is then
 *       read from the catalog once and captured from that event on.
 * </ul>
 */
public final class ChangeRecordDeserializer implements DebeziumDeserializationSchema<ChangeRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeRecordDeserializer.class);

    /** Debezium's default {@code unavailable.value.placeholder}, which the sources keep. */
    static final String UNAVAILABLE = "__debezium_unavailable_value";

    private static final int[] NO_COLUMNS = new int[0];
    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);

    private final SourceKind kind;
    /** Shared with the reader that checkpoints the stream's offset (the same object in the task). */
    private final LogResumePoint resumePoint = new LogResumePoint();

    private final Map<TableId, TableSchema> tables;
    /** PostgreSQL: reads TOASTed values a key update left out of the log; null for MySQL (full row images). */
    private final UnloggedValueFetcher toasted;

    private final SourceSchemaReader schemaReader;
    /** Per table, the event fields the catalog did not know either (added and dropped again): not asked twice. */
    private final Map<TableId, Set<String>> unknownFields = new HashMap<>();
    /** Per table, the schema object of the last row image seen (Debezium's, not serializable). */
    private transient Map<TableId, Schema> seenImageSchemas;
    /** The patterns by which tables created after the start are captured; null when they are not. */
    private final TablePatterns newTables;
    /**
     * New tables the catalog could not describe (dropped again, or a type the pipeline cannot carry),
     * with the schema object of the row image they failed at: asked again only when Debezium's
     * schema of the table changes (re-created or altered), not for every event.
     */
    private transient Map<TableId, Schema> notCapturable;

    /** Beside a snapshot that is not complete yet; null when the log is read after the snapshot. */
    private final IncompleteSnapshots incompleteSnapshots;

    public ChangeRecordDeserializer(CdcSourceConfig config) {
        this(config, null);
    }

    /**
     * @param snapshotMarkers the snapshot-complete markers of a snapshot read beside the log; null
     *     when the log is read after the snapshot
     */
    public ChangeRecordDeserializer(CdcSourceConfig config, TableSyncControl snapshotMarkers) {
        this.incompleteSnapshots = snapshotMarkers == null
                ? null
                : new IncompleteSnapshots(
                        snapshotMarkers,
                        config.tables().stream().map(TableSchema::id).toList());
        this.kind = Objects.requireNonNull(config.kind(), "kind");
        Map<TableId, TableSchema> byId = new HashMap<>();
        config.tables().forEach(t -> byId.put(t.id(), t));
        this.tables = byId;
        this.toasted = kind.unloggedValueFetcher(config);
        this.schemaReader = new SourceSchemaReader(config);
        this.newTables = config.captureNewTables() ? config.patterns() : null;
    }

    /**
     * The table's schema for an event. Debezium gives a table's row images a new schema object when
     * the table changed in the source (PostgreSQL's relation message, MySQL's DDL in the binlog): the
     * table's current columns are then read from the catalog, and if they differ (a column added, a
     * type widened) they become a new schema version, which the staging files and the loader follow
     * (the loader adds the column, widens the type, or refuses a change it cannot apply); see
     * {@link SchemaEvolution} for dropped and renamed columns. The
     * first image of each table this reader sees is checked against the catalog too: the schema it
     * was given may be the one of the job's first start (a restart, a change while the job was
     * down), and the change-log reader may start new readers whose Debezium schema objects are new.
     */
    private TableSchema current(TableSchema schema, Struct image) {
        if (image == null) {
            return schema;
        }
        if (seenImageSchemas == null) {
            seenImageSchemas = new HashMap<>();
        }
        Schema seen = seenImageSchemas.put(schema.id(), image.schema());
        if (seen == image.schema()) {
            return schema;
        }
        Set<String> unknown = unknownFields.computeIfAbsent(schema.id(), t -> new HashSet<>());
        List<String> added = new ArrayList<>();
        for (Field field : image.schema().fields()) {
            if (schema.indexOf(field.name()) < 0 && !unknown.contains(field.name())) {
                added.add(field.name());
            }
        }
        List<String> fields = image.schema().fields().stream().map(Field::name).toList();
        Set<String> inLastEvent = seen == null
                ? Set.of()
                : seen.fields().stream().map(Field::name).collect(Collectors.toSet());
        TableSchema next = SchemaEvolution.next(
                schema, SchemaEvolution.atEvent(schema, schemaReader.read(schema), fields), inLastEvent);
        for (String name : added) {
            if (next.indexOf(name) < 0) {
                unknown.add(name);
                LOG.warn(
                        "Column {} of {} is in the change log but no longer in the source catalog (added and"
                                + " dropped or renamed again since); its values are not carried",
                        name,
                        schema.id());
            }
        }
        if (next.columns().equals(schema.columns())) {
            return schema;
        }
        LOG.info(
                "Table {} changed in the source: {} -> {}; schema version {} -> {}{}",
                schema.id(),
                schema.columns(),
                next.columns(),
                schema.version(),
                next.version(),
                next.renamedFrom().isEmpty() ? "" : "; renamed (new name=former name): " + next.renamedFrom());
        tables.put(schema.id(), next);
        return next;
    }

    /** Where the stream may resume; see {@link LogResumePoint}. */
    public LogResumePoint resumePoint() {
        return resumePoint;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeRecord> out) {
        if (!(record.value() instanceof Struct value)
                || value.schema().field("op") == null
                || value.schema().field("source") == null) {
            return; // tombstone, heartbeat or schema change
        }
        resumePoint.emitted(record, value.getString("op"));
        Struct source = value.getStruct("source");
        TableId id = new TableId(source.getString(kind.schemaField()), source.getString("table"));
        Struct image = value.getStruct("after") != null ? value.getStruct("after") : value.getStruct("before");
        TableSchema schema = tables.get(id);
        if (schema == null) {
            schema = newTables == null ? null : captureNew(id, image);
            if (schema == null) {
                return; // a table the pipeline does not capture (the publication or filter named more)
            }
        }
        schema = current(schema, image);
        Position position = kind.changePosition(source);
        switch (value.getString("op")) {
            case "c", "r" -> out.collect(inserted(row(schema, Op.INSERT, position, value.getStruct("after"), null)));
            case "d" -> out.collect(row(schema, Op.DELETE, position, value.getStruct("before"), null));
            case "u" -> update(schema, position, value.getStruct("before"), value.getStruct("after"), out);
            default -> {} // "t" (truncate) and "m" (message): nothing row-wise to apply
        }
    }

    /**
     * A table that was not there when the pipeline started, met in the change log: created since.
     * If the patterns select it, it is captured from this event on, with its columns and key as the
     * catalog has them now (the event's value schema cannot tell every type apart). Its rows from
     * before it reached the change log are the initial sync's, not read here.
     *
     * @return the table's schema, or null when it is not captured
     */
    private TableSchema captureNew(TableId id, Struct image) {
        if (!newTables.selects(id)) {
            return null;
        }
        Schema imageSchema = image == null ? null : image.schema();
        if (notCapturable != null && notCapturable.containsKey(id) && notCapturable.get(id) == imageSchema) {
            return null;
        }
        TableSchema schema;
        try {
            schema = schemaReader.readNew(id, newTables.customKey(id));
        } catch (IllegalArgumentException e) {
            if (notCapturable == null) {
                notCapturable = new HashMap<>();
            }
            notCapturable.put(id, imageSchema);
            LOG.warn(
                    "Table {} was created in the source but cannot be captured, its changes are left out: {}",
                    id,
                    e.getMessage());
            return null;
        }
        if (notCapturable != null) {
            notCapturable.remove(id);
        }
        LOG.info("Table {} created in the source: captured from now on", id);
        tables.put(id, schema);
        return schema;
    }

    private void update(
            TableSchema schema, Position position, Struct before, Struct after, Collector<ChangeRecord> out) {
        ChangeRecord updated = row(schema, Op.UPDATE, position, after, before);
        if (before != null && schema.hasKey()) {
            ChangeRecord old = row(schema, Op.DELETE, position, before, null);
            if (!Arrays.equals(keyOf(schema, old), keyOf(schema, updated))) {
                out.collect(old);
                out.collect(inserted(
                        new ChangeRecord(schema, Op.INSERT, position, updated.values(), updated.unchangedColumns())));
                return;
            }
        }
        out.collect(withUnloggedValues(updated));
    }

    /**
     * An update with unchanged TOASTed values of a table whose snapshot, read beside the log, is not
     * complete: the destination may not have the row to keep the values of (its snapshot row may
     * come later, and loses against this update), so they are read from the source.
     */
    private ChangeRecord withUnloggedValues(ChangeRecord update) {
        if (update.unchangedColumns().length == 0
                || incompleteSnapshots == null
                || !incompleteSnapshots.incomplete(update.schema().id())) {
            return update;
        }
        return valuesFromSource(update);
    }

    /**
     * An insert with unchanged TOASTed values: the second half of an update that changed the key
     * (PostgreSQL's connector emits it as a delete and an insert). The destination has no row of
     * the new key to keep a value of, so the values are read from the source.
     */
    private ChangeRecord inserted(ChangeRecord insert) {
        return valuesFromSource(insert);
    }

    /** {@code record} with its unchanged columns read from the source where it can (PostgreSQL, keyed tables). */
    private ChangeRecord valuesFromSource(ChangeRecord record) {
        int[] unchanged = record.unchangedColumns();
        if (unchanged.length == 0 || toasted == null || !record.schema().hasKey()) {
            return record;
        }
        Object[] values = record.values().clone();
        int[] left = toasted.fill(record.schema(), keyOf(record.schema(), record), values, unchanged);
        return new ChangeRecord(record.schema(), record.op(), record.position(), values, left);
    }

    /**
     * @param before the before-image, whose value stands in for an unchanged TOASTed one where it has
     *     it (REPLICA IDENTITY FULL logs whole old rows); null when there is none
     */
    private static ChangeRecord row(TableSchema schema, Op op, Position position, Struct struct, Struct before) {
        List<Column> columns = schema.columns();
        Object[] values = new Object[columns.size()];
        List<Integer> unchanged = null; // rare: made on the first unchanged value of the row
        if (struct != null) {
            for (int i = 0; i < values.length; i++) {
                Column column = columns.get(i);
                Field field = struct.schema().field(column.name());
                if (field == null) {
                    continue; // not in this event (a column added or dropped since): NULL
                }
                Object raw = struct.get(field);
                if (isUnavailable(raw)) {
                    Object old = before == null || before.schema().field(column.name()) == null
                            ? null
                            : before.get(column.name());
                    if (old == null || isUnavailable(old)) {
                        if (unchanged == null) {
                            unchanged = new ArrayList<>();
                        }
                        unchanged.add(i);
                        continue;
                    }
                    raw = old;
                }
                try {
                    values[i] = DebeziumValues.convert(column, raw, field.schema());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "Could not read column " + column.name() + " ("
                                    + column.sourceType() + ") of a change of " + schema.id() + " at position "
                                    + position
                                    + ": " + e.getMessage(),
                            e);
                }
            }
        }
        return new ChangeRecord(
                schema,
                op,
                position,
                values,
                unchanged == null
                        ? NO_COLUMNS
                        : unchanged.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isUnavailable(Object raw) {
        if (raw instanceof String s) {
            return s.equals(UNAVAILABLE);
        }
        if (raw instanceof byte[] || raw instanceof ByteBuffer) {
            return Arrays.equals(DebeziumValues.bytes(raw), UNAVAILABLE_BYTES);
        }
        if (raw instanceof List<?> list) {
            return list.size() == 1 && UNAVAILABLE.equals(list.get(0));
        }
        return false;
    }

    private static Object[] keyOf(TableSchema schema, ChangeRecord record) {
        int[] key = schema.keyIndexes();
        Object[] values = new Object[key.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = record.value(key[i]);
        }
        return values;
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }
}
