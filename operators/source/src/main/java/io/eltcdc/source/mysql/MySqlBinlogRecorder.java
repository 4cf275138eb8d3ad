package io.eltcdc.source.mysql;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.log.LogStart;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Before the snapshot of a MySQL or MariaDB source: reads where the binlog stands (file and
 * offset). Binlog file and offset rather than GTIDs: MariaDB's GTIDs are not understood by Flink
 * CDC's MySQL source, and file and offset work on every server.
 */
public final class MySqlBinlogRecorder implements LogStartRecorder {
    private static final long serialVersionUID = 1L;

    @Override
    public LogStart record(Connection connection, List<TableSchema> tables) throws SQLException {
        MySqlBinlog.checkRowLogging(connection);
        return MySqlBinlog.currentPosition(connection);
    }

    @Override
    public String toString() {
        return "MySqlBinlogRecorder";
    }
}
