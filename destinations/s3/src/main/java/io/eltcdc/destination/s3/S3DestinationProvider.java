package io.eltcdc.destination.s3;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.StorageUris;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.util.List;

/**
 * {@code type: s3}: files in a folder, {@code s3://bucket/prefix}, {@code file:///dir} or an absolute
 * path. Its s3:// paths use the pipeline's S3 settings ({@code staging.s3}, or the cluster's
 * {@code s3.*} keys): one S3 client configuration per job.
 */
public final class S3DestinationProvider implements DestinationProvider {
    /** The values of {@code format}. */
    static final List<String> FORMATS = List.of("avro", "parquet");

    @Override
    public String type() {
        return "s3";
    }

    @Override
    public List<String> keys() {
        return List.of("path", "format");
    }

    @Override
    public String describe() {
        return "an s3 destination";
    }

    @Override
    public DestinationConfig parse(ConfigNode section, StagingLocation staging) throws ConfigException {
        String path = StorageUris.normalize(
                section.pathOf("path"),
                DestinationSection.required(
                        section, "path", this, "the folder to write to, s3://bucket/prefix or file:///dir"));
        String format = section.optionalChoice("format", S3Destination.FORMAT_AVRO, FORMATS);
        if ("parquet".equals(format)) {
            throw section.error(
                    "format",
                    "parquet is not supported yet: writing Parquet needs Hadoop's client"
                            + " libraries on the job's class path, which the job jar does not carry; use avro (the default)");
        }
        return new S3Config(path, format);
    }
}
