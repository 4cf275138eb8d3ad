package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.s3.S3Config;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: s3, path, format }}. */
class S3DestinationConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;
    private static final String BASE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "file:///tmp/staging" }
            """;

    @Test
    void pathAndAvroByDefault() throws Exception {
        S3Config d = parse("destination: { type: s3, path: \"s3://lake/shop/\" }");
        assertThat(d).isEqualTo(new S3Config("s3://lake/shop/", "avro"));
        assertThat(parse("destination: { type: s3, path: \"s3a://lake\", format: avro }")
                        .path())
                .isEqualTo("s3a://lake");
        assertThat(parse("destination: { type: s3, path: \"file:///data/lake\" }")
                        .path())
                .isEqualTo("file:///data/lake");
        assertThat(parse("destination: { type: s3, path: /data/lake }").path()).isEqualTo("file:///data/lake");
    }

    @Test
    void pathIsRequiredAndMustBeAFolderUri() {
        ConfigException missing = error("destination: { type: s3 }");
        assertThat(missing.path()).isEqualTo("destination.path");
        assertThat(missing).hasMessageContaining("required key is missing (an s3 destination needs the folder");

        ConfigException relative = error("destination: { type: s3, path: lake/shop }");
        assertThat(relative.path()).isEqualTo("destination.path");
        assertThat(relative).hasMessageContaining("relative path");

        ConfigException noBucket = error("destination: { type: s3, path: \"s3:///shop\" }");
        assertThat(noBucket.path()).isEqualTo("destination.path");
        assertThat(noBucket).hasMessageContaining("names no bucket");

        assertThat(error("destination: { type: s3, path: \"gs://lake\" }")).hasMessageContaining("unsupported scheme");
    }

    @Test
    void parquetIsRefusedWithAReason() {
        ConfigException e = error("destination: { type: s3, path: \"s3://lake\", format: parquet }");
        assertThat(e.path()).isEqualTo("destination.format");
        assertThat(e)
                .hasMessageStartingWith("destination.format: parquet is not supported yet")
                .hasMessageContaining("use avro");
        ConfigException unknown = error("destination: { type: s3, path: \"s3://lake\", format: csv }");
        assertThat(unknown.path()).isEqualTo("destination.format");
        assertThat(unknown).hasMessageStartingWith("destination.format: expected one of avro, parquet, got \"csv\"");
    }

    @Test
    void keysOfOtherTypesDoNotApply() {
        ConfigException schema = error("destination: { type: s3, path: \"s3://lake\", schema: raw }");
        assertThat(schema.path()).isEqualTo("destination");
        assertThat(schema)
                .hasMessageContaining(
                        "key \"schema\" does not apply to an s3 destination (its keys: type, path, format, load-interval, load-parallelism)");
        assertThat(error("destination: { type: s3, path: \"s3://lake\", delete-mode: soft }"))
                .hasMessageContaining("key \"delete-mode\" does not apply to an s3 destination");
        assertThat(error("destination: { type: duckdb, path: /tmp/x.duckdb, format: avro }"))
                .hasMessageContaining("key \"format\" does not apply to a duckdb destination");
    }

    private static S3Config parse(String destination) throws ConfigException {
        return (S3Config) PipelineConfig.parse(BASE + destination + "\n", NO_ENV)
                .destination()
                .config();
    }

    private static ConfigException error(String destination) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> PipelineConfig.parse(BASE + destination + "\n", NO_ENV));
        assertThat(e).as("expected a ConfigException for %s", destination).isNotNull();
        return e;
    }
}
