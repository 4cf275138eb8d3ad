package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.serde.ChangeRecordSerializer;
import io.eltcdc.testing.SampleRecords;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeRecordSerializerTest {
    @Test
    void recordsRoundTripWithEveryType() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        for (Object[] row : SampleRecords.allTypesRows()) {
            ChangeRecord record = new ChangeRecord(table, Op.UPDATE, new Position(7, -3), row);
            DataOutputSerializer out = new DataOutputSerializer(64);
            ChangeRecordSerializer.INSTANCE.serialize(record, out);
            ChangeRecord back = ChangeRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back.schema()).isEqualTo(table);
            assertThat(back.op()).isEqualTo(Op.UPDATE);
            assertThat(back.position()).isEqualTo(record.position());
            assertThat(back.values()).isEqualTo(row);
        }
    }
}
