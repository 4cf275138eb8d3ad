package io.eltcdc.destination.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Creates the BigQuery client of a destination: project, location, credentials (a service
 * account's JSON key, from a file or inline, or Application Default Credentials), and the client's
 * retries of failed HTTP calls (5xx, rate limits: backoff from 1 s up to 32 s, at most 6 tries).
 */
final class BigQueryClients {
    /** The client's retries of one API call; tests against a local server make them fast. */
    static final RetrySettings RETRIES = RetrySettings.newBuilder()
            .setMaxAttempts(6)
            .setInitialRetryDelayDuration(Duration.ofSeconds(1))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(32))
            .setTotalTimeoutDuration(Duration.ofMinutes(5))
            .setInitialRpcTimeoutDuration(Duration.ofMinutes(2))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofMinutes(2))
            .build();

    private BigQueryClients() {}

    static BigQuery create(BigQueryOptionsSpec spec, RetrySettings retries) throws IOException {
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
                .setProjectId(spec.project())
                .setLocation(spec.location())
                .setRetrySettings(retries)
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(30_000)
                        .setReadTimeout(120_000)
                        .build());
        if (spec.host() != null) {
            options.setHost(spec.host()).setCredentials(NoCredentials.getInstance());
        } else if (spec.credentialsJson() != null) {
            options.setCredentials(credentials(
                    new ByteArrayInputStream(spec.credentialsJson().getBytes(StandardCharsets.UTF_8)),
                    "the inline JSON key (credentials-json)"));
        } else if (spec.credentialsFile() != null) {
            try (InputStream in = new FileInputStream(spec.credentialsFile())) {
                options.setCredentials(credentials(in, "the key file " + spec.credentialsFile()));
            } catch (FileNotFoundException e) {
                throw new IOException(
                        "the BigQuery credentials file " + spec.credentialsFile() + " cannot be read (" + e.getMessage()
                                + "): check destination.credentials-file",
                        e);
            }
        } // else Application Default Credentials, which the client finds by itself
        return options.build().getService();
    }

    private static GoogleCredentials credentials(InputStream json, String source) throws IOException {
        try {
            return GoogleCredentials.fromStream(json);
        } catch (IOException | RuntimeException e) {
            // The message never quotes the key: it may hold the private key.
            throw new IOException(
                    source + " is not a Google credentials JSON (a service account key from"
                            + " IAM > Service accounts > Keys): " + e.getClass().getSimpleName(),
                    e);
        }
    }
}
