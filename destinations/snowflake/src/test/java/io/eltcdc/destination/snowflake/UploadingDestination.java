package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.model.TableSchema;
import java.util.List;
import java.util.Optional;

/** A destination that first puts a batch's local files on S3 ({@link S3Uploads}): the contract suite writes local files. */
final class UploadingDestination implements Destination {
    private final Destination destination;
    private final S3Uploads uploads;

    UploadingDestination(Destination destination, S3Uploads uploads) {
        this.destination = destination;
        this.uploads = uploads;
    }

    @Override
    public void createTables(List<TableSchema> tables) throws Exception {
        destination.createTables(tables);
    }

    @Override
    public LoadResult load(LoadBatch batch) throws Exception {
        return destination.load(uploads.upload(batch));
    }

    @Override
    public Optional<TableChecksums> checksums() {
        return destination.checksums();
    }

    @Override
    public void close() throws Exception {
        destination.close();
    }
}
