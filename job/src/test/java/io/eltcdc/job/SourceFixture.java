package io.eltcdc.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Source tables of the end-to-end tests: every common PostgreSQL type with NULLs and edge values,
 * a skewed bigint key, a text key, a composite key, an empty table, quoted identifiers and a table
 * without a key.
 */
public final class SourceFixture {
    public static final List<String> TABLES = List.of(
            "public.all_types",
            "public.skewed",
            "public.text_keyed",
            "public.composite",
            "public.empty_table",
            "hidden.Odd Table",
            "public.keyless");

    private SourceFixture() {}

    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'Europe/Berlin'"); // inserts must not depend on the session zone
            s.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
            s.execute("""
                CREATE TABLE public.all_types (
                  id int PRIMARY KEY, c_smallint smallint, c_bigint bigint, c_numeric numeric(20,6),
                  c_numeric_free numeric, c_real real, c_double double precision, c_bool boolean,
                  c_text text, c_varchar varchar(20), c_char char(5), c_date date, c_time time,
                  c_ts timestamp, c_tstz timestamptz, c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea,
                  c_int_array int[], c_text_array text[], c_enum mood)""");
            s.execute("""
                INSERT INTO public.all_types
                SELECT i, (i % 30000)::smallint, i::bigint * 1000003, (i * 1.234567)::numeric(20,6),
                  ('12345678901234567890.' || i || '000000000000000000001')::numeric,
                  i / 7.0::real, i / 3.0::float8, i % 2 = 0,
                  'row ' || i || E' tab\\t nl\\n quote'' back\\\\ ünï €', 'v' || i, 'c' || (i % 10),
                  date '1969-12-25' + i, time '00:00:00.000001' + i * interval '1 minute 1.5 second',
                  timestamp '1950-01-01 00:00:00.123456' + i * interval '3 days 7 hours 11.000007 seconds',
                  timestamptz '2024-03-31 01:59:59.999999+01' + i * interval '1 hour',
                  md5(i::text)::uuid, ('{"i": ' || i || ', "s": "x y"}')::json,
                  jsonb_build_object('i', i, 'nested', jsonb_build_array(1, 'two', null)),
                  decode(lpad(to_hex(i), 8, '0') || '00ff', 'hex'),
                  ARRAY[i, NULL, -i], ARRAY['a' || i, 'quote"d', NULL],
                  (ARRAY['sad','ok','happy'])[1 + i % 3]::mood
                FROM generate_series(1, 400) i""");
            s.execute("INSERT INTO public.all_types (id) VALUES (0)"); // every other column NULL
            s.execute("""
                INSERT INTO public.all_types (id, c_smallint, c_bigint, c_numeric, c_numeric_free, c_real, c_double,
                  c_text, c_varchar, c_char, c_date, c_time, c_ts, c_tstz, c_json, c_jsonb, c_bytea, c_int_array,
                  c_text_array)
                VALUES (-1, -32768, -9223372036854775808, -99999999999999.999999,
                  -0.000000000000000000000000000001, -3.4e38, 1.7976931348623157e308,
                  '', '', '', date '0001-01-01', time '23:59:59.999999', timestamp '9999-12-31 23:59:59.999999',
                  timestamptz '1900-01-01 00:00:00+00', '[]', '{}', '\\x00', '{}', '{}')""");

            s.execute("CREATE TABLE public.skewed (id bigint PRIMARY KEY, v text)");
            s.execute("""
                INSERT INTO public.skewed
                SELECT id, 'v' || id FROM (
                  SELECT generate_series(1, 300) AS id
                  UNION ALL SELECT 1000000000000 + generate_series(1, 300)
                  UNION ALL SELECT 4000000000000000000 + generate_series(1, 50)) k""");

            s.execute("CREATE TABLE public.text_keyed (code text PRIMARY KEY, v int)");
            s.execute("INSERT INTO public.text_keyed SELECT md5(i::text) || '-Ä', i FROM generate_series(1, 700) i");

            s.execute("CREATE TABLE public.composite (tenant int, seq int, v text, PRIMARY KEY (tenant, seq))");
            s.execute("""
                INSERT INTO public.composite SELECT t, q, t || '/' || q
                FROM generate_series(1, 7) t, generate_series(1, 90) q""");

            s.execute("CREATE TABLE public.empty_table (id int PRIMARY KEY, v text)");

            s.execute("CREATE SCHEMA hidden");
            s.execute("""
                CREATE TABLE hidden."Odd Table" ("Order" int PRIMARY KEY, "select" text, "Mixed Case" numeric(5,2))""");
            s.execute("""
                INSERT INTO hidden."Odd Table" SELECT i, 'sel ' || i, (i % 1000) / 10.0 FROM generate_series(1, 250) i""");

            s.execute("CREATE TABLE public.keyless (a int, b text)");
            s.execute("INSERT INTO public.keyless SELECT i % 17, 'k' || (i % 5) FROM generate_series(1, 333) i");
            s.execute("ANALYZE");
        }
    }
}
