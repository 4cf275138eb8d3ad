#!/usr/bin/env bash
# Benchmark of verify (a measurement, not a test): how fast `verify` compares a PostgreSQL table with
# its DuckDB copy, against what PostgreSQL alone needs to count and hash the same rows.
#
#   scripts/bench-verify.sh                     3,000,000 rows
#   ELT_BENCH_ROWS=200000 scripts/bench-verify.sh     a quick try
#
# Table elt_bench_verify.rows in database elt_bench_verify (the columns of bench-snapshot.sh's table:
# bigint key, int, bigint, numeric(12,2), double, text, varchar, timestamptz, date, boolean), made
# with generate_series unless it has the right row count; its initial sync into a DuckDB file
# (run --snapshot-only) unless that file holds it already. Then:
#
#   (a) psql: SELECT count(*), sum(<first 64 bits of md5(row as text)>) FROM the table: the
#       baseline, one full read and hash of every row in the source alone; run twice, the faster counts
#   (b) java -jar elt-cdc.jar verify --settle-timeout 0s: both sides, range by range, every column
#       in its canonical form; run twice, the faster counts; it must exit 0 (equal)
#
# verify runs at parallelism ELT_BENCH_PARALLELISM (default 4) over chunks of ELT_BENCH_CHUNK_SIZE
# (default 250000). Rates are rows / wall time of the whole command (JVM start included).
# Work folder: $ELT_BENCH_DIR (default /tmp/elt-cdc-bench-verify). ELT_JAR=path uses that jar as it is.
set -euo pipefail

WORK=$(realpath -m "${ELT_BENCH_DIR:-/tmp/elt-cdc-bench-verify}")
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELT_LOG_TAG="bench-verify"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

ROWS=${ELT_BENCH_ROWS:-3000000}
PARALLELISM=${ELT_BENCH_PARALLELISM:-4}
CHUNK=${ELT_BENCH_CHUNK_SIZE:-250000}
DB=elt_bench_verify
TABLE=elt_bench_verify.rows
[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || elt_die "ELT_BENCH_ROWS must be a positive integer, got '$ROWS'"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
faster() { awk -v x="$1" -v y="$2" 'BEGIN { print (x < y ? x : y) }'; }

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
elt_ensure_jar
JAR=$(cd "$(dirname "$ELT_JAR")" && pwd)/$(basename "$ELT_JAR")
elt_ensure_postgres
mkdir -p "$WORK"

# --- the table and its copy ------------------------------------------------------------------
if [ -z "$(elt_psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'")" ]; then
    elt_step "creating database $DB"
    elt_psql -d postgres -c "CREATE DATABASE $DB"
fi
have=-1
if [ -n "$(elt_psql -d "$DB" -Atc "select to_regclass('$TABLE')")" ]; then
    have=$(elt_psql -d "$DB" -Atc "select count(*) from $TABLE")
fi
if [ "$have" != "$ROWS" ]; then
    elt_step "creating $TABLE with $ROWS rows (generate_series)"
    rm -f "$WORK/copy.duckdb" "$WORK/copy.duckdb.wal"
    elt_psql -d "$DB" --single-transaction >/dev/null <<SQL
SET client_min_messages = warning;
SET synchronous_commit = off;
CREATE SCHEMA IF NOT EXISTS elt_bench_verify;
DROP TABLE IF EXISTS $TABLE;
CREATE TABLE $TABLE (
    id bigint NOT NULL, small_n integer NOT NULL, big_n bigint NOT NULL, amount numeric(12,2) NOT NULL,
    score double precision, label text NOT NULL, code varchar(64) NOT NULL, created_at timestamptz NOT NULL,
    day date NOT NULL, active boolean NOT NULL
);
INSERT INTO $TABLE
SELECT g, (g * 7919) % 1000000, g * 1000003, round(((g * 7) % 10000000) / 100.0, 2),
       CASE WHEN g % 20 = 0 THEN NULL ELSE sqrt(g) * 1.000001 END,
       'label-' || lpad(to_hex((g * 2654435761) % 4294967296), 8, '0') || '-' || (g % 100000),
       md5(g::text), timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second',
       date '2000-01-01' + (g % 9000)::int, g % 3 <> 0
FROM generate_series(1, $ROWS::bigint) AS g;
ALTER TABLE $TABLE ADD PRIMARY KEY (id);
SQL
    elt_psql -d "$DB" -c "VACUUM (ANALYZE) $TABLE" >/dev/null
fi
size=$(elt_psql -d "$DB" -Atc "select pg_size_pretty(pg_table_size('$TABLE'))")

cat >"$WORK/verify.yaml" <<YAML
# Written by scripts/bench-verify.sh
pipeline: { name: bench-verify, parallelism: 2 }
source:
  type: postgres
  host: $ELT_PG_HOST
  port: $ELT_PG_PORT
  database: $DB
  username: postgres
  password: "\${env:PGPASSWORD}"
  tables: [$TABLE]
  chunk-size: $CHUNK
staging: { path: "file://$WORK/staging", roll-size: 64mb, roll-interval: 60s, inactivity-interval: 15s }
destination: { type: duckdb, path: "$WORK/copy.duckdb" }
YAML
copied=0
if [ -f "$WORK/copy.duckdb" ]; then
    copied=$(java -cp "$JAR" scripts/lib/DuckQuery.java "$WORK/copy.duckdb" "SELECT count(*) FROM $TABLE" 2>/dev/null || echo 0)
fi
if [ "$copied" != "$ROWS" ]; then
    elt_step "initial sync into $WORK/copy.duckdb (log: $WORK/sync.log)"
    rm -rf "$WORK/copy.duckdb" "$WORK/copy.duckdb.wal" "$WORK/staging"
    PGPASSWORD="${PGPASSWORD:-}" java -jar "$JAR" run --pipeline "$WORK/verify.yaml" --snapshot-only >"$WORK/sync.log" 2>&1 ||
        elt_die "the initial sync failed (log: $WORK/sync.log)"
fi

# --- (a) baseline ----------------------------------------------------------------------------
hash_once() {
    local t0
    t0=$(now)
    elt_psql -d "$DB" -Atc "SELECT count(*), sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint) FROM $TABLE t" >/dev/null
    elapsed "$t0" "$(now)"
}
elt_step "(a) psql: count(*) and sum of md5 over every row of $TABLE, twice"
a1=$(hash_once)
a2=$(hash_once)
a_secs=$(faster "$a1" "$a2")
elt_step "(a) $a1 s, $a2 s"

# --- (b) verify ------------------------------------------------------------------------------
verify_once() { # N
    local t0 t1 status log="$WORK/verify-$1.log"
    t0=$(now)
    set +e
    PGPASSWORD="${PGPASSWORD:-}" java -Xlog:gc:file="$WORK/verify-$1.gc.log" -jar "$JAR" verify \
        --pipeline "$WORK/verify.yaml" --settle-timeout 0s --parallelism "$PARALLELISM" >"$log" 2>&1
    status=$?
    set -e
    t1=$(now)
    [ "$status" -eq 0 ] || { tail -n 20 "$log" >&2; elt_die "(b) verify exited with $status (log: $log)"; }
    elapsed "$t0" "$t1"
}
elt_step "(b) java -jar elt-cdc.jar verify --parallelism $PARALLELISM, twice (logs: $WORK/verify-1.log, -2.log)"
b1=$(verify_once 1)
b2=$(verify_once 2)
b_secs=$(faster "$b1" "$b2")
elt_step "(b) $b1 s, $b2 s; $(grep -E 'source rows compared' "$WORK/verify-1.log" || true)"

# peak_heap GC_LOG: the most heap in use before any collection (-Xlog:gc lines "...123M->45M(512M)...")
peak_heap() {
    grep -oE '[0-9]+M->[0-9]+M' "$1" 2>/dev/null | awk -F'M->' '$1 > m { m = $1 } END { print (m ? m " MiB" : "?") }'
}

# --- report ----------------------------------------------------------------------------------
echo
echo "verify benchmark: $TABLE, $ROWS rows, 10 columns, $size in PostgreSQL $(elt_psql -d "$DB" -Atc 'show server_version' | cut -d' ' -f1), copy in DuckDB"
echo "$(nproc) cores, $(java -version 2>&1 | head -n 1); verify --parallelism $PARALLELISM, chunk-size $CHUNK"
echo
awk -v rows="$ROWS" -v a="$a_secs" -v b="$b_secs" 'BEGIN {
    ra = rows / a; rb = rows / b
    fmt = "%-58s %8s %12s %7s\n"
    printf fmt, "measurement", "wall s", "rows/s", "vs (a)"
    printf fmt, "(a) psql: count(*) + sum(md5) of every row, source only", sprintf("%.2f", a), sprintf("%.0f", ra), "1.00"
    printf fmt, "(b) verify: both sides, every column, range by range", sprintf("%.2f", b), sprintf("%.0f", rb), sprintf("%.2f", rb / ra)
}'
echo
echo "Peak heap in use by verify (from -Xlog:gc): $(peak_heap "$WORK/verify-1.gc.log"), $(peak_heap "$WORK/verify-2.gc.log")."
