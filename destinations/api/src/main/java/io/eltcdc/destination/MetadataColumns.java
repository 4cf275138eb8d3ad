package io.eltcdc.destination;

import io.eltcdc.model.AvroSchemas;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Names of the columns every target table has beside the source's columns. */
public final class MetadataColumns {
    /** The operation of the row's last record: {@code READ}, {@code INSERT}, {@code UPDATE} or {@code DELETE}. */
    public static final String OP = AvroSchemas.OP_FIELD;
    /** The position of the row's last record, {@code decimal(38,0)}. */
    public static final String POSITION = AvroSchemas.POSITION_FIELD;
    /** When the load that wrote the row ran (transaction time). */
    public static final String SYNCED_AT = "_elt_synced_at";
    /**
     * Whether the row was deleted in the source: a column of soft-delete mode ({@link DeleteMode#SOFT}),
     * and of a hard-delete table that held tombstones while its snapshot loaded
     * ({@link LoadBatch#keepsTombstones()}).
     */
    public static final String DELETED = "_elt_deleted";
    /**
     * Not a target column: the staging table's list of the columns a record did not send
     * ({@code ,3,7,} of batch column indexes); reserved like the others.
     */
    public static final String UNCHANGED = AvroSchemas.UNCHANGED_FIELD;

    /** The metadata columns of every target table, in table order. */
    public static final List<String> ALL = List.of(OP, POSITION, SYNCED_AT);

    private MetadataColumns() {}

    public static boolean isMetadata(String column) {
        return isMetadata(column, UnaryOperator.identity());
    }

    /**
     * Whether {@code column} (a name as the destination's catalog has it) is a metadata column of a
     * destination that keeps names as {@code naming} turns them (Snowflake: {@code _ELT_OP}).
     */
    public static boolean isMetadata(String column, UnaryOperator<String> naming) {
        return Stream.of(OP, POSITION, SYNCED_AT, DELETED, UNCHANGED)
                .anyMatch(name -> naming.apply(name).equals(column));
    }
}
