package io.eltcdc.destination.snowflake;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Properties;

/**
 * How to connect to Snowflake: account, user, one way to authenticate (password, private key PEM
 * text, or private key file; a key optionally encrypted with a passphrase), role, warehouse and
 * database. Plain strings only, so the load committer's factory can carry it through the job
 * graph; {@link #toString()} never shows a secret.
 */
public final class SnowflakeConnectionSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String account;
    private final String user;
    private final String password;
    private final String privateKeyPem;
    private final String privateKeyFile;
    private final String privateKeyPassphrase;
    private final String role;
    private final String warehouse;
    private final String database;

    private SnowflakeConnectionSettings(
            String account,
            String user,
            String password,
            String privateKeyPem,
            String privateKeyFile,
            String privateKeyPassphrase,
            String role,
            String warehouse,
            String database) {
        this.account = Objects.requireNonNull(account, "account");
        this.user = Objects.requireNonNull(user, "user");
        this.password = password;
        this.privateKeyPem = privateKeyPem;
        this.privateKeyFile = privateKeyFile;
        this.privateKeyPassphrase = privateKeyPassphrase;
        this.role = role;
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        this.database = Objects.requireNonNull(database, "database");
        int ways = (password != null ? 1 : 0) + (privateKeyPem != null ? 1 : 0) + (privateKeyFile != null ? 1 : 0);
        if (ways != 1) {
            throw new IllegalArgumentException("give exactly one of password, private key and private key file");
        }
    }

    public static SnowflakeConnectionSettings withPassword(
            String account, String user, String password, String role, String warehouse, String database) {
        return new SnowflakeConnectionSettings(
                account,
                user,
                Objects.requireNonNull(password, "password"),
                null,
                null,
                null,
                role,
                warehouse,
                database);
    }

    /**
     * Key-pair authentication with the private key's PEM text ({@code -----BEGIN PRIVATE KEY-----}, or
     * {@code ENCRYPTED PRIVATE KEY} with {@code passphrase}; null for none).
     */
    public static SnowflakeConnectionSettings withPrivateKey(
            String account,
            String user,
            String pem,
            String passphrase,
            String role,
            String warehouse,
            String database) {
        return new SnowflakeConnectionSettings(
                account, user, null, Objects.requireNonNull(pem, "pem"), null, passphrase, role, warehouse, database);
    }

    /** Key-pair authentication with a PEM file on every TaskManager's file system. */
    public static SnowflakeConnectionSettings withPrivateKeyFile(
            String account,
            String user,
            String file,
            String passphrase,
            String role,
            String warehouse,
            String database) {
        return new SnowflakeConnectionSettings(
                account, user, null, null, Objects.requireNonNull(file, "file"), passphrase, role, warehouse, database);
    }

    /**
     * {@code jdbc:snowflake://<account>.snowflakecomputing.com/}; an account given as a full host
     * name ({@code xy12345.eu-central-1.snowflakecomputing.com}) is taken as it is.
     */
    String jdbcUrl() {
        String host = account.contains(".snowflakecomputing.") ? account : account + ".snowflakecomputing.com";
        return "jdbc:snowflake://" + host + "/";
    }

    /**
     * The driver's connection properties. Besides the login, three session parameters every load
     * relies on:
     * <ul>
     *   <li>{@code JDBC_QUERY_RESULT_FORMAT=JSON}: the driver's default Arrow results need
     *       {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17; JSON results do not (the
     *       load reads only small results);
     *   <li>{@code TIMEZONE=UTC}: timestamps with time zone are written with offset +00:00, as the
     *       pipeline carries them;
     *   <li>{@code QUOTED_IDENTIFIERS_IGNORE_CASE=FALSE}: names are quoted to keep their case; an
     *       account that ignores the case of quoted names would merge {@code "Id"} and {@code "id"}.
     * </ul>
     */
    Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        } else if (privateKeyPem != null) {
            // The driver reads the key from base64 of the PEM file's bytes, as if from the file.
            p.setProperty(
                    "private_key_base64",
                    Base64.getEncoder().encodeToString(privateKeyPem.getBytes(StandardCharsets.US_ASCII)));
            if (privateKeyPassphrase != null) {
                p.setProperty("private_key_pwd", privateKeyPassphrase);
            }
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
        } else {
            p.setProperty("private_key_file", privateKeyFile);
            if (privateKeyPassphrase != null) {
                p.setProperty("private_key_file_pwd", privateKeyPassphrase);
            }
            p.setProperty("authenticator", "SNOWFLAKE_JWT");
        }
        if (role != null) {
            p.setProperty("role", role);
        }
        p.setProperty("warehouse", warehouse);
        p.setProperty("db", database);
        p.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
        p.setProperty("TIMEZONE", "UTC");
        p.setProperty("QUOTED_IDENTIFIERS_IGNORE_CASE", "FALSE");
        return p;
    }

    /** The password or key passphrase to keep out of messages, or null. */
    String secret() {
        return password != null ? password : privateKeyPassphrase;
    }

    String database() {
        return database;
    }

    /** How messages name the destination: account, database and user, never a secret. */
    String describe() {
        return "Snowflake account " + account + ", database " + database + " as " + user;
    }

    @Override
    public String toString() {
        return "SnowflakeConnectionSettings[" + describe() + ", warehouse " + warehouse
                + (role == null ? "" : ", role " + role) + ", authentication "
                + (password != null
                        ? "password"
                        : privateKeyPem != null ? "private key" : "private key file " + privateKeyFile)
                + "]";
    }
}
