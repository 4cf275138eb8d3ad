package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;

/**
 * One staged file of a batch and what its header says: the Avro schema (the file's layout), the
 * table schema it was written with, and its codec. A file of zero bytes (a part file that received
 * no record) has none of them. Files are read through Flink's file systems, so {@code file://},
 * {@code s3://} and {@code gs://} paths work alike.
 */
final class BatchFile {
    private final StagedFile file;
    private final Schema avro;
    private final TableSchema schema;
    private final String codec;

    private BatchFile(StagedFile file, Schema avro, String codec) {
        this.file = file;
        this.avro = avro;
        this.schema = avro == null ? null : AvroSchemas.fromAvro(avro);
        this.codec = codec;
    }

    /** Reads the header of {@code file}. */
    static BatchFile open(StagedFile file) throws IOException {
        try (InputStream raw = openStream(file);
                PushbackInputStream in = new PushbackInputStream(raw, 1)) {
            int first = in.read();
            if (first < 0) {
                return new BatchFile(file, null, null);
            }
            in.unread(first);
            try (DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
                return new BatchFile(file, stream.getSchema(), stream.getMetaString(DataFileConstants.CODEC));
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read staged file " + file.path() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The file's bytes, from the start. */
    InputStream open() throws IOException {
        return openStream(file);
    }

    private static InputStream openStream(StagedFile file) throws IOException {
        try {
            Path path = new Path(file.path());
            return path.getFileSystem().open(path);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot open staged file " + file.path() + ": " + e, e);
        }
    }

    StagedFile file() {
        return file;
    }

    boolean isEmpty() {
        return avro == null;
    }

    /** The file's Avro schema; null for an empty file. */
    Schema avro() {
        return avro;
    }

    /** The table schema the file was written with; null for an empty file. */
    TableSchema schema() {
        return schema;
    }

    /** The codec name ({@code null}, {@code deflate}, {@code snappy}, …); null when the header names none. */
    String codec() {
        return codec;
    }

    /** Whether BigQuery can read the file itself (a load job from Cloud Storage URIs). */
    boolean onCloudStorage() {
        return file.path().startsWith("gs://");
    }

    @Override
    public String toString() {
        return file.path();
    }
}
