#!/usr/bin/env bash
# Benchmark of the initial sync (a measurement, not a test): how fast elt-cdc reads and loads a
# table, against what PostgreSQL itself can send.
#
#   scripts/bench-snapshot.sh              5,000,000 rows
#   ELT_BENCH_ROWS=200000 scripts/bench-snapshot.sh     a quick try
#
# Table elt_bench.bench_rows in database elt_bench: bigint id (primary key), int, bigint,
# numeric(12,2), double precision, text (~20 chars), varchar(64), timestamptz, date, boolean;
# made with generate_series unless it has the right row count already, then VACUUM ANALYZE.
#
#   (a) psql: COPY (SELECT * FROM elt_bench.bench_rows) TO STDOUT > /dev/null   the baseline;
#       run twice, the faster counts (the first warms the cache for everything after it)
#   (b) java -jar elt-cdc.jar run --source-only     reads the snapshot, discards the rows
#   (c) java -jar elt-cdc.jar run --snapshot-only   into a fresh DuckDB file, staging in a local folder
#   (d) the same as (c) with an earlier build's jar, beside it in the same run (the machine is noisy:
#       only figures of one run compare): ELT_BENCH_BASELINE_JAR=path, or ELT_BENCH_BASELINE_REF=<git
#       ref> to build that commit's jar (in a worktree under the work folder; takes a few minutes)
#
#   (e), (f) with ELT_BENCH_TABLE_SYNCS=1: the initial sync of a continuous pipeline (the change log
#       read beside it), (e) with source.capture-new-tables and source.allow-resync off (the default)
#       and (f) with both on: their second source breaks the chain of the chunk readers and the stage
#       writer. Each runs until its progress line shows every row
#       loaded (1 s resolution), then is stopped; its replication slot and publication are dropped.
#       Each runs twice, alternating; the faster run of each counts.
#
# (b) and (c): parallelism 2, chunk-size 250000 (ELT_BENCH_PARALLELISM, ELT_BENCH_CHUNK_SIZE).
# Rates are rows / wall time of the whole command (JVM start included): the honest figure; the
# jar's own "snapshot finished" rate is shown beside it. Targets: (b)/(a) >= 0.6, (c)/(a) >= 0.30.
# Work folder: $ELT_BENCH_DIR (default /tmp/elt-cdc-bench). ELT_JAR=path uses that jar as it is.
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
WORK=$(realpath -m "${ELT_BENCH_DIR:-/tmp/elt-cdc-bench}")
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ELT_LOG_TAG="bench"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

ROWS=${ELT_BENCH_ROWS:-5000000}
PARALLELISM=${ELT_BENCH_PARALLELISM:-2}
CHUNK=${ELT_BENCH_CHUNK_SIZE:-250000}
CHECKPOINT=${ELT_BENCH_CHECKPOINT_INTERVAL:-5s}
DB=elt_bench
TABLE=elt_bench.bench_rows
[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || elt_die "ELT_BENCH_ROWS must be a positive integer, got '$ROWS'"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
elt_ensure_jar
JAR=$(cd "$(dirname "$ELT_JAR")" && pwd)/$(basename "$ELT_JAR")
elt_ensure_postgres
mkdir -p "$WORK"

BASE_JAR=${ELT_BENCH_BASELINE_JAR:-}
BASE_REF=${ELT_BENCH_BASELINE_REF:-}
if [ -n "$BASE_JAR" ]; then
    BASE_JAR=$(realpath -m "$BASE_JAR")
    [ -f "$BASE_JAR" ] || elt_die "ELT_BENCH_BASELINE_JAR: no such file: $BASE_JAR"
elif [ -n "$BASE_REF" ]; then
    commit=$(git rev-parse --verify "$BASE_REF^{commit}" 2>/dev/null) ||
        elt_die "ELT_BENCH_BASELINE_REF: '$BASE_REF' is no commit of this repository"
    BASE_JAR="$WORK/baseline-$commit.jar"
    if [ ! -f "$BASE_JAR" ]; then
        elt_step "building the jar of $BASE_REF ($commit) for (d)"
        rm -rf "$WORK/baseline-src"
        git worktree prune
        git worktree add --detach "$WORK/baseline-src" "$commit" >/dev/null
        (cd "$WORK/baseline-src" && mvn -B -q package -pl job -am -DskipTests -Dspotless.check.skip=true) ||
            elt_die "building $BASE_REF failed"
        cp "$WORK/baseline-src/job/target/elt-cdc.jar" "$BASE_JAR"
        git worktree remove --force "$WORK/baseline-src"
    fi
fi

# --- the table -----------------------------------------------------------------------------
if [ -z "$(elt_psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'")" ]; then
    elt_step "creating database $DB"
    elt_psql -d postgres -c "CREATE DATABASE $DB"
fi
have=-1
if [ -n "$(elt_psql -d "$DB" -Atc "select to_regclass('$TABLE')")" ]; then
    have=$(elt_psql -d "$DB" -Atc "select count(*) from $TABLE")
fi
if [ "$have" = "$ROWS" ]; then
    elt_step "$TABLE has $ROWS rows already"
else
    elt_step "creating $TABLE with $ROWS rows (generate_series)"
    t0=$(now)
    elt_psql -d "$DB" --single-transaction >/dev/null <<SQL
SET client_min_messages = warning;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
CREATE SCHEMA IF NOT EXISTS elt_bench;
DROP TABLE IF EXISTS $TABLE;
CREATE TABLE $TABLE (
    id         bigint           NOT NULL,
    small_n    integer          NOT NULL,
    big_n      bigint           NOT NULL,
    amount     numeric(12,2)    NOT NULL,
    score      double precision,
    label      text             NOT NULL,
    code       varchar(64)      NOT NULL,
    created_at timestamptz      NOT NULL,
    day        date             NOT NULL,
    active     boolean          NOT NULL
);
INSERT INTO $TABLE
SELECT g,
       (g * 7919) % 1000000,
       g * 1000003,
       round(((g * 7) % 10000000) / 100.0, 2),
       CASE WHEN g % 20 = 0 THEN NULL ELSE sqrt(g) * 1.000001 END,
       'label-' || lpad(to_hex((g * 2654435761) % 4294967296), 8, '0') || '-' || (g % 100000),
       md5(g::text),
       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second',
       date '2000-01-01' + (g % 9000)::int,
       g % 3 <> 0
FROM generate_series(1, $ROWS::bigint) AS g;
ALTER TABLE $TABLE ADD PRIMARY KEY (id);
SQL
    elt_step "created in $(elapsed "$t0" "$(now)") s; VACUUM ANALYZE"
    elt_psql -d "$DB" -c "VACUUM (ANALYZE) $TABLE"
fi
size=$(elt_psql -d "$DB" -Atc "select pg_size_pretty(pg_table_size('$TABLE'))")

# --- (a) baseline --------------------------------------------------------------------------
copy_once() {
    local t0
    t0=$(now)
    elt_psql -d "$DB" -c "COPY (SELECT * FROM $TABLE) TO STDOUT" >/dev/null
    elapsed "$t0" "$(now)"
}
elt_step "(a) psql COPY (SELECT * FROM $TABLE) TO STDOUT > /dev/null, twice"
a1=$(copy_once)
a2=$(copy_once)
a_secs=$(awk -v x="$a1" -v y="$a2" 'BEGIN { print (x < y ? x : y) }')
elt_step "(a) $a1 s, $a2 s"

# --- (b), (c) the jar ----------------------------------------------------------------------
write_pipeline() { # FILE NAME [EXTRA SOURCE KEYS]
    cat >"$1" <<YAML
# Written by scripts/bench-snapshot.sh
pipeline: { name: $2, parallelism: $PARALLELISM, checkpoint-interval: $CHECKPOINT }
source:
  type: postgres
  host: $ELT_PG_HOST
  port: $ELT_PG_PORT
  database: $DB
  username: postgres
  password: "\${env:PGPASSWORD}"
  tables: [$TABLE]
  chunk-size: $CHUNK
${3:-}
staging: { path: "file://$WORK/staging-$2", roll-size: 64mb, roll-interval: 60s, inactivity-interval: 15s }
destination: { type: duckdb, path: "$WORK/$2.duckdb" }
YAML
}

# run_jar NAME FLAG [JAR]: runs the jar; sets RUN_SECS (wall), RUN_ROWS, RUN_JAR_SECS, RUN_JAR_RATE
run_jar() {
    local name=$1 flag=$2 jar=${3:-$JAR} log="$WORK/$1.log" t0 t1 status line
    rm -rf "$WORK/staging-$name" "$WORK/$name.duckdb" "$WORK/$name.duckdb.wal"
    write_pipeline "$WORK/$name.yaml" "$name"
    elt_step "running: java -jar $jar run --pipeline $WORK/$name.yaml $flag (log: $log)"
    t0=$(now)
    set +e
    PGPASSWORD="${PGPASSWORD:-}" java -Xlog:gc:file="$WORK/$name.gc.log" -jar "$jar" run --pipeline "$WORK/$name.yaml" "$flag" >"$log" 2>&1
    status=$?
    set -e
    t1=$(now)
    if [ "$status" -ne 0 ]; then
        tail -n 20 "$log" >&2
        elt_die "$name: the jar exited with $status (log: $log)"
    fi
    RUN_SECS=$(elapsed "$t0" "$t1")
    line=$(grep -E '^snapshot finished: [0-9]+ rows in' "$log" | tail -n 1 || true)
    if [ -n "$line" ]; then
        read -r RUN_ROWS RUN_JAR_SECS RUN_JAR_RATE < <(awk '{ gsub(/[()]/, ""); print $3, $6, $8 }' <<<"$line")
    else
        elt_step "$name: no 'snapshot finished' line in $log"
        RUN_ROWS="?" RUN_JAR_SECS="?" RUN_JAR_RATE="?"
    fi
    RUN_PEAK_HEAP=$(peak_heap "$WORK/$name.gc.log")
    elt_step "$name: $RUN_SECS s wall; ${line:-no summary line}; peak heap $RUN_PEAK_HEAP"
}

# peak_heap GC_LOG: the most heap in use before any collection (-Xlog:gc lines "...123M->45M(512M)...")
peak_heap() {
    grep -oE '[0-9]+M->[0-9]+M' "$1" 2>/dev/null | awk -F'M->' '$1 > m { m = $1 } END { print (m ? m " MiB" : "?") }'
}

# run_until_loaded NAME [EXTRA SOURCE KEYS]: a continuous run until every row is loaded; sets RUN_SECS
run_until_loaded() {
    local name=$1 log="$WORK/$1.log" t0 t1 pid loaded=0 slot
    slot="elt_cdc_$(tr -c 'a-z0-9_\n' '_' <<<"$name")"
    rm -rf "$WORK/staging-$name" "$WORK/$name.duckdb" "$WORK/$name.duckdb.wal"
    write_pipeline "$WORK/$name.yaml" "$name" "${2:-}"
    elt_step "running: java -jar $JAR run --pipeline $WORK/$name.yaml until $ROWS rows are loaded (log: $log)"
    t0=$(now)
    PGPASSWORD="${PGPASSWORD:-}" java -jar "$JAR" run --pipeline "$WORK/$name.yaml" --progress-interval 1s >"$log" 2>&1 &
    pid=$!
    while [ "$loaded" -lt "$ROWS" ]; do
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; elt_die "$name: the jar ended before every row was loaded (log: $log)"; }
        sleep 0.2
        loaded=$(grep -E "^$TABLE: .*rows loaded [0-9,]+" "$log" | tail -n 1 | sed -E 's/.*rows loaded ([0-9,]+).*/\1/; s/,//g' || true)
        loaded=${loaded:-0}
    done
    t1=$(now)
    kill -TERM "$pid"
    wait "$pid" || true
    elt_psql -d "$DB" -qc "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null
    elt_psql -d "$DB" -qc "DROP PUBLICATION IF EXISTS $slot" >/dev/null
    RUN_SECS=$(elapsed "$t0" "$t1")
    elt_step "$name: every row loaded after $RUN_SECS s"
}

run_jar source-only --source-only
b_secs=$RUN_SECS b_rows=$RUN_ROWS b_jar_secs=$RUN_JAR_SECS b_jar_rate=$RUN_JAR_RATE b_heap=$RUN_PEAK_HEAP
run_jar snapshot --snapshot-only
c_secs=$RUN_SECS c_rows=$RUN_ROWS c_jar_secs=$RUN_JAR_SECS c_jar_rate=$RUN_JAR_RATE c_heap=$RUN_PEAK_HEAP
d_secs=0 d_jar_secs="-" d_jar_rate="-"
if [ -n "$BASE_JAR" ]; then
    run_jar baseline --snapshot-only "$BASE_JAR"
    d_secs=$RUN_SECS d_jar_secs=$RUN_JAR_SECS d_jar_rate=$RUN_JAR_RATE
fi

e_secs=0 f_secs=0
if [ "${ELT_BENCH_TABLE_SYNCS:-0}" = 1 ]; then
    # Alternated and run twice, the faster of each counting: a second source's cost is a ratio of
    # two runs, which a burst of other work on the machine would otherwise decide.
    for round in 1 2; do
        run_until_loaded syncs-off "  capture-new-tables: false
  allow-resync: false"
        e_secs=$(awk -v a="$e_secs" -v b="$RUN_SECS" 'BEGIN { print (a == 0 || b < a) ? b : a }')
        run_until_loaded syncs-on "  capture-new-tables: true
  allow-resync: true"
        f_secs=$(awk -v a="$f_secs" -v b="$RUN_SECS" 'BEGIN { print (a == 0 || b < a) ? b : a }')
    done
fi

loaded=$(java -cp "$JAR" "$ROOT/scripts/lib/DuckQuery.java" "$WORK/snapshot.duckdb" "SELECT count(*) FROM $TABLE") ||
    elt_die "cannot count the rows in $WORK/snapshot.duckdb"
[ "$b_rows" = "$ROWS" ] || elt_step "warning: (b) reports $b_rows rows read, the table has $ROWS"
[ "$c_rows" = "$ROWS" ] || elt_step "warning: (c) reports $c_rows rows read, the table has $ROWS"

# --- report --------------------------------------------------------------------------------
echo
echo "Snapshot benchmark: $TABLE, $ROWS rows, 10 columns, $size in PostgreSQL $(elt_psql -d "$DB" -Atc 'show server_version' | cut -d' ' -f1)"
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -n 1); parallelism $PARALLELISM, chunk-size $CHUNK, checkpoint-interval $CHECKPOINT"
echo "Rows/s = $ROWS rows / wall time of the whole command; the jar's own figure (job start to end: no JVM start-up or checks) beside it."
echo
awk -v rows="$ROWS" -v a="$a_secs" -v b="$b_secs" -v c="$c_secs" -v d="$d_secs" -v e="$e_secs" -v f="$f_secs" \
    -v bj="$b_jar_secs" -v bjr="$b_jar_rate" -v cj="$c_jar_secs" -v cjr="$c_jar_rate" \
    -v dj="$d_jar_secs" -v djr="$d_jar_rate" 'BEGIN {
    ra = rows / a; rb = rows / b; rc = rows / c
    fmt = "%-40s %9s %12s %11s %12s %8s %7s %s\n"
    printf fmt, "measurement", "wall s", "rows/s", "jar s", "jar rows/s", "vs (a)", "target", ""
    printf fmt, "(a) psql COPY TO STDOUT > /dev/null", sprintf("%.2f", a), sprintf("%.0f", ra), "-", "-", "1.00", "-", ""
    printf fmt, "(b) jar --source-only", sprintf("%.2f", b), sprintf("%.0f", rb), bj, bjr, sprintf("%.2f", rb / ra), "0.60",
        (rb / ra >= 0.6 ? "met" : "NOT met")
    printf fmt, "(c) jar --snapshot-only into DuckDB", sprintf("%.2f", c), sprintf("%.0f", rc), cj, cjr, sprintf("%.2f", rc / ra), "0.30",
        (rc / ra >= 0.30 ? "met" : "NOT met")
    if (d > 0) {
        rd = rows / d
        printf fmt, "(d) the baseline jar, as (c)", sprintf("%.2f", d), sprintf("%.0f", rd), dj, djr, sprintf("%.2f", rd / ra), "-",
            sprintf("(c) is %.2f x (d)", rc / rd)
    }
    if (e > 0 && f > 0) {
        re = rows / e; rf = rows / f
        printf fmt, "(e) continuous, table syncs off", sprintf("%.2f", e), sprintf("%.0f", re), "-", "-", sprintf("%.2f", re / ra), "-", ""
        printf fmt, "(f) continuous, table syncs on", sprintf("%.2f", f), sprintf("%.0f", rf), "-", "-", sprintf("%.2f", rf / ra), "-",
            sprintf("(f) is %.2f x (e)", rf / re)
    }
}'
echo
echo "Peak heap in use (from -Xlog:gc): (b) $b_heap, (c) $c_heap."
echo "(c) loaded $loaded rows into $WORK/snapshot.duckdb. Logs: $WORK/source-only.log, $WORK/snapshot.log"
if [ "$loaded" != "$ROWS" ]; then
    elt_die "(c) loaded $loaded rows, the table has $ROWS: the figures above do not count"
fi
