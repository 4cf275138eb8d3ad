#!/usr/bin/env bash
# Benchmark of continuous sync (a measurement, not a test): does elt-cdc keep up with a steady
# stream of changes on a PostgreSQL table, and how long does a change take to reach the destination?
#
#   scripts/bench-cdc.sh                                          10,000 changes/s for 60 s
#   ELT_BENCH_RATE=2000 ELT_BENCH_DURATION=20 scripts/bench-cdc.sh     a quick try
#
# Each run starts fresh: database bench_cdc_source with public.bench(id bigint primary key, v int,
# payload text, changed_at timestamptz), 100,000 rows; database bench_cdc_dest, empty. Pipeline
# bench-cdc (written to the work folder): parallelism 2, checkpoint-interval 5s, state-dir and
# staging in the work folder, destination PostgreSQL (so this script can query it while it runs).
#
#   1. java -jar elt-cdc.jar run --pipeline FILE in the background; wait until the destination holds
#      every initial row and the pipeline's replication slot is streaming.
#   2. The workload: pgbench -f scripts/lib/bench-cdc.pgbench at ELT_BENCH_RATE / 10 transactions/s
#      (-R) for ELT_BENCH_DURATION s; a transaction is 10 changes (1 delete, 7 updates, 2 inserts),
#      each setting changed_at = clock_timestamp().
#   3. Poll until the destination equals the source (row count, sum(v), max(changed_at)), then
#      compare an md5 of every row.
#
# It prints:
#   offered   committed changes (pgbench's transactions x 10) / ELT_BENCH_DURATION: the baseline
#   applied   the same changes / time from workload start until the destination equalled the source
#   ratio     applied / offered
#   latency   p50, p99, max of _elt_synced_at - changed_at over the destination rows changed during
#             the workload (their last change; _elt_synced_at is the load transaction's start, so the
#             load's own duration until its commit is not in it)
#   peak heap  the most heap the pipeline's JVM had in use (from -Xlog:gc)
# and the targets, PASS or MISS: p99 <= checkpoint interval + 2 s; keeps up with 10,000 changes/s:
# the workload offered >= 9,500/s, applied/offered >= 0.95, and the destination caught up within
# checkpoint interval + 2 s after the workload ended. It exits 0 either way (it reports, it does not
# judge); non-zero only when it could not measure.
#
# Settings (environment): ELT_BENCH_RATE (changes/s, default 10000), ELT_BENCH_DURATION (s, 60),
# ELT_BENCH_ROWS (initial rows, 100000), ELT_BENCH_CLIENTS (pgbench clients, 16),
# ELT_BENCH_PARALLELISM (2), ELT_BENCH_CHECKPOINT_SECONDS (5), ELT_BENCH_TIMEOUT (s to wait for the
# initial sync and for the catch-up, 300), ELT_BENCH_DIR (work folder, default a new
# /tmp/elt-cdc-bench-cdc.XXXXXX), ELT_JAR=path uses that jar as it is.
#
# On exit, also Ctrl-C: stops the pipeline (SIGTERM: the runner cancels the job), drops its
# replication slot and publication (elt-cdc.jar drop-slot), drops both databases and removes the
# staging and state folders; the logs stay in the work folder.
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
if [ -n "${ELT_BENCH_DIR:-}" ]; then ELT_BENCH_DIR=$(realpath -m "$ELT_BENCH_DIR"); fi
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELT_LOG_TAG="bench-cdc"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

RATE=${ELT_BENCH_RATE:-10000}
DURATION=${ELT_BENCH_DURATION:-60}
ROWS=${ELT_BENCH_ROWS:-100000}
CLIENTS=${ELT_BENCH_CLIENTS:-16}
PARALLELISM=${ELT_BENCH_PARALLELISM:-2}
CHECKPOINT=${ELT_BENCH_CHECKPOINT_SECONDS:-5}
TIMEOUT=${ELT_BENCH_TIMEOUT:-300}
for setting in RATE DURATION ROWS CLIENTS PARALLELISM CHECKPOINT TIMEOUT; do
    [[ "${!setting}" =~ ^[1-9][0-9]*$ ]] || elt_die "ELT_BENCH_$setting must be a positive integer, got '${!setting}'"
done
((ROWS >= 10000)) || elt_die "ELT_BENCH_ROWS must be at least 10000 (the workload updates rows 1000 above the oldest)"

TARGET_RATE=10000                 # the rate the pipeline must keep up with
LATENCY_TARGET=$((CHECKPOINT + 2)) # s: p99 latency, and catch-up after the workload ends
POLL=0.2                          # s between two looks at the destination
WORKLOAD=scripts/lib/bench-cdc.pgbench
# Every INSERT/UPDATE/DELETE line of the workload changes exactly one row.
CHANGES_PER_TX=$(grep -cE '^(INSERT|UPDATE|DELETE) ' "$WORKLOAD")
TPS=$(awk -v r="$RATE" -v c="$CHANGES_PER_TX" 'BEGIN { printf "%.1f", r / c }')

PIPELINE_NAME=bench-cdc
SLOT=elt_cdc_bench_cdc # ReplicationNames: elt_cdc_ + the pipeline name, '-' as '_'
SOURCE_DB=bench_cdc_source
DEST_DB=bench_cdc_dest
TABLE=public.bench

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
command -v pgbench >/dev/null 2>&1 || elt_die "pgbench not found (Debian: package postgresql-contrib or postgresql-client)"
elt_ensure_jar
JAR=$(cd "$(dirname "$ELT_JAR")" && pwd)/$(basename "$ELT_JAR")
elt_ensure_postgres

WORK=${ELT_BENCH_DIR:-$(mktemp -d /tmp/elt-cdc-bench-cdc.XXXXXX)}
mkdir -p "$WORK"
PIPELINE=$WORK/$PIPELINE_NAME.yaml
LOG=$WORK/pipeline.log
PGBENCH_LOG=$WORK/pgbench.log
PIPELINE_PID=""

cat >"$PIPELINE" <<YAML
# Written by scripts/bench-cdc.sh
pipeline: { name: $PIPELINE_NAME, parallelism: $PARALLELISM, checkpoint-interval: ${CHECKPOINT}s, state-dir: "file://$WORK/state" }
source: { type: postgres, host: $ELT_PG_HOST, port: $ELT_PG_PORT, database: $SOURCE_DB, username: postgres, tables: [$TABLE] }
staging: { path: "file://$WORK/staging" }
destination: { type: postgres, host: $ELT_PG_HOST, port: $ELT_PG_PORT, database: $DEST_DB, username: postgres }
YAML

# --- helpers -------------------------------------------------------------------------------
db_exists() { [ -n "$(elt_psql -d postgres -Atc "select 1 from pg_database where datname = '$1'")" ]; }
slot_state() { elt_psql -d postgres -Atc "select active from pg_replication_slots where slot_name = '$SLOT'"; } # t, f or nothing
slot_streaming() { [ "$(slot_state)" = t ]; }
slot_idle() { [ "$(slot_state)" != t ]; }
pipeline_alive() { [ -n "$PIPELINE_PID" ] && kill -0 "$PIPELINE_PID" 2>/dev/null; }
pipeline_exited() { ! pipeline_alive; }
process_gone() { ! kill -0 "$1" 2>/dev/null; }

# poll_until SECONDS COMMAND...: runs COMMAND every $POLL s until it succeeds; fails at the deadline,
# and stops the script when the pipeline has exited meanwhile.
poll_until() {
    local deadline
    deadline=$(awk -v t="$(now)" -v s="$1" 'BEGIN { printf "%.3f", t + s }')
    shift
    until "$@" >/dev/null 2>&1; do
        if [ -n "$PIPELINE_PID" ] && pipeline_exited; then
            tail -n 30 "$LOG" >&2
            elt_die "the pipeline exited (log: $LOG)"
        fi
        if awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t >= d) }'; then
            return 1
        fi
        sleep "$POLL"
    done
}

stop_pipeline() {
    pipeline_alive || return 0
    elt_step "stopping the pipeline (SIGTERM to $PIPELINE_PID)"
    kill -TERM "$PIPELINE_PID" 2>/dev/null || true
    local pid=$PIPELINE_PID
    PIPELINE_PID="" # stopped on purpose: not a failure, and nothing to stop next time
    if ! elt_wait_until 60 process_gone "$pid"; then
        elt_step "the pipeline did not stop within 60 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# Drops the pipeline's slot (never leave one behind: the server keeps WAL for it forever).
drop_slot() {
    [ -n "$(slot_state)" ] || return 0
    # The walsender of a stopped pipeline may take a moment to go.
    elt_wait_until 30 slot_idle || elt_step "warning: slot $SLOT is still active"
    elt_step "dropping replication slot $SLOT: java -jar $ELT_JAR drop-slot --pipeline $PIPELINE"
    java -jar "$JAR" drop-slot --pipeline "$PIPELINE" 2>&1 | sed "s/^/[$ELT_LOG_TAG]   /" || true
    if [ -n "$(slot_state)" ]; then
        elt_step "the slot is still there: pg_drop_replication_slot('$SLOT')"
        elt_psql -d postgres -Atc "select pg_drop_replication_slot('$SLOT')" >/dev/null ||
            elt_step "WARNING: could not drop replication slot $SLOT; drop it by hand, it keeps WAL"
    fi
}

drop_databases() {
    local db
    for db in "$SOURCE_DB" "$DEST_DB"; do
        if db_exists "$db" && ! elt_psql -d postgres -c "DROP DATABASE $db WITH (FORCE)"; then
            elt_step "warning: could not drop database $db; its replication slots:" \
                "$(elt_psql -d postgres -Atc "select string_agg(slot_name, ', ') from pg_replication_slots where database = '$db'")"
        fi
    done
}

# The script's own stdout and stderr: a trap may run cleanup inside a command whose output is
# redirected (poll_until sends its condition's output to /dev/null).
exec 3>&1 4>&2
CLEANED=0
cleanup() {
    [ "$CLEANED" -eq 0 ] || return 0
    CLEANED=1
    exec 1>&3 2>&4
    set +e
    stop_pipeline
    drop_slot
    elt_step "dropping databases $SOURCE_DB and $DEST_DB; removing $WORK/staging and $WORK/state"
    drop_databases
    rm -rf "$WORK/staging" "$WORK/state"
    set -e
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- fresh databases -----------------------------------------------------------------------
drop_slot # left by an interrupted run
drop_databases
rm -rf "$WORK/staging" "$WORK/state"
elt_step "creating $SOURCE_DB with $TABLE ($ROWS rows) and $DEST_DB"
elt_psql -d postgres -c "CREATE DATABASE $SOURCE_DB" -c "CREATE DATABASE $DEST_DB"
elt_psql -d "$SOURCE_DB" >/dev/null <<SQL
CREATE TABLE $TABLE (id bigint PRIMARY KEY, v int, payload text, changed_at timestamptz);
INSERT INTO $TABLE SELECT g, g % 1000, md5(g::text), clock_timestamp() FROM generate_series(1, $ROWS) AS g;
-- The workload's ids: deletes take the oldest row, inserts new ids after the initial rows.
CREATE SEQUENCE bench_delete_id START 1;
CREATE SEQUENCE bench_insert_id START $((ROWS + 1));
VACUUM ANALYZE $TABLE;
SQL

# --- the pipeline, initial sync --------------------------------------------------------------
elt_step "starting: java -jar $ELT_JAR run --pipeline $PIPELINE (log: $LOG)"
t_start=$(now)
java -Xlog:gc:file="$WORK/pipeline.gc.log" -jar "$JAR" run --pipeline "$PIPELINE" >"$LOG" 2>&1 &
PIPELINE_PID=$!

dest_count() { elt_psql -d "$DEST_DB" -Atc "select count(*) from $TABLE"; }
initial_sync_done() { [ "$(dest_count)" = "$ROWS" ]; }
poll_until "$TIMEOUT" initial_sync_done ||
    elt_die "the destination does not hold the $ROWS initial rows after ${TIMEOUT}s (log: $LOG)"
initial_secs=$(elapsed "$t_start" "$(now)")
elt_step "initial sync loaded $ROWS rows, $initial_secs s after the start; waiting for slot $SLOT to stream"
poll_until 60 slot_streaming || elt_die "slot $SLOT is not active 60 s after the initial sync (log: $LOG)"

# --- the workload ----------------------------------------------------------------------------
table_changes() { # rows inserted + updated + deleted in the source table so far (statistics)
    elt_psql -d "$SOURCE_DB" -Atc "select n_tup_ins + n_tup_upd + n_tup_del from pg_stat_user_tables where relid = '$TABLE'::regclass"
}
changes_before=$(table_changes)
elt_step "workload: pgbench, $CLIENTS clients, -R $TPS transactions/s x $CHANGES_PER_TX changes, ${DURATION}s (log: $PGBENCH_LOG)"
t0=$(now)
pgbench_status=0
pgbench -h "$ELT_PG_HOST" -p "$ELT_PG_PORT" -U postgres -n -M prepared -f "$WORKLOAD" -D "rows=$ROWS" \
    -c "$CLIENTS" -j "$((CLIENTS < 2 ? CLIENTS : 2))" -R "$TPS" -T "$DURATION" -P 10 "$SOURCE_DB" >"$PGBENCH_LOG" 2>&1 || pgbench_status=$?
t1=$(now)
[ "$pgbench_status" -eq 0 ] || { tail -n 20 "$PGBENCH_LOG" >&2; elt_die "pgbench exited with $pgbench_status (log: $PGBENCH_LOG)"; }
transactions=$(awk -F': *' '/^number of transactions actually processed/ { split($2, a, "/"); print a[1] + 0 }' "$PGBENCH_LOG")
failed=$(awk -F': *' '/^number of failed transactions/ { print $2 + 0 }' "$PGBENCH_LOG")
lag=$(sed -n 's/^rate limit schedule lag: //p' "$PGBENCH_LOG")
[ -n "$transactions" ] || elt_die "no transaction count in $PGBENCH_LOG"
changes=$((transactions * CHANGES_PER_TX))
elt_step "workload done in $(elapsed "$t0" "$t1") s: $transactions transactions ($changes changes), ${failed:-?} failed"

# Cross-check with the table's statistics (flushed when pgbench's sessions end).
stat_changes_match() { [ $(($(table_changes) - changes_before)) -eq "$changes" ]; }
if ! elt_wait_until 10 stat_changes_match; then
    elt_step "warning: pg_stat_user_tables counts $(($(table_changes) - changes_before)) changes, pgbench $changes"
fi

# --- catch-up ----------------------------------------------------------------------------------
fingerprint() { elt_psql -d "$1" -Atc "select count(*), coalesce(sum(v), 0), max(changed_at) from $TABLE"; }
source_print=$(fingerprint "$SOURCE_DB")
dest_caught_up() { [ "$(fingerprint "$DEST_DB")" = "$source_print" ]; }
elt_step "waiting until the destination equals the source ($source_print)"
caught_up=0
if poll_until "$TIMEOUT" dest_caught_up; then
    caught_up=1
    t_eq=$(now)
    catchup_total=$(elapsed "$t0" "$t_eq")
    catchup_after=$(elapsed "$t1" "$t_eq")
    elt_step "caught up $catchup_after s after the workload ended ($catchup_total s after it started)"
else
    elt_step "the destination does not equal the source ${TIMEOUT}s after the workload ended: $(fingerprint "$DEST_DB")"
fi

digest() { elt_psql -d "$1" -Atc "select md5(string_agg(concat_ws(':', id, v, payload, changed_at), ',' order by id)) from $TABLE"; }
if [ "$(digest "$SOURCE_DB")" = "$(digest "$DEST_DB")" ]; then same_rows=yes; else same_rows=NO; fi

read -r measured p50 p99 pmax < <(elt_psql -d "$DEST_DB" -At -F ' ' -c "
    select count(*), coalesce(round(percentile_cont(0.5) within group (order by l)::numeric, 3), 0),
           coalesce(round(percentile_cont(0.99) within group (order by l)::numeric, 3), 0),
           coalesce(round(max(l)::numeric, 3), 0)
    from (select extract(epoch from _elt_synced_at - changed_at) as l from $TABLE
          where changed_at >= to_timestamp($t0)) as changed")
read -r loads load_rows < <(elt_psql -d "$DEST_DB" -At -F ' ' -c "
    select count(*), coalesce(round(avg(rows_staged)), 0) from elt_cdc.loads
    where pipeline = '$PIPELINE_NAME' and loaded_at >= to_timestamp($t0)")
pg_version=$(elt_psql -d postgres -Atc 'show server_version' | cut -d' ' -f1)

cleanup

# --- report ------------------------------------------------------------------------------------
echo
echo "CDC benchmark: $TABLE, $ROWS initial rows, PostgreSQL $pg_version -> PostgreSQL ($SOURCE_DB -> $DEST_DB)"
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -n 1); parallelism $PARALLELISM, checkpoint-interval ${CHECKPOINT}s"
echo "Workload: pgbench, $CLIENTS clients, -R $TPS tx/s x $CHANGES_PER_TX changes (1 delete, 7 updates, 2 inserts), ${DURATION}s; schedule lag ${lag:-?}"
echo "Initial sync: $ROWS rows in the destination $initial_secs s after the start (JVM start included)"
echo
awk -v changes="$changes" -v tx="$transactions" -v cpt="$CHANGES_PER_TX" -v dur="$DURATION" \
    -v ok="$caught_up" -v total="${catchup_total:-0}" -v after="${catchup_after:-0}" -v timeout="$TIMEOUT" \
    -v n="$measured" -v p50="$p50" -v p99="$p99" -v pmax="$pmax" -v lt="$LATENCY_TARGET" -v target="$TARGET_RATE" \
    -v loads="$loads" -v load_rows="$load_rows" -v same="$same_rows" 'BEGIN {
    offered = changes / dur
    printf "offered   %8.0f changes/s   %d transactions x %d changes / %d s\n", offered, tx, cpt, dur
    if (ok) {
        applied = changes / total; ratio = applied / offered
        printf "applied   %8.0f changes/s   %d changes / %.2f s from workload start until the destination equalled the source\n", applied, changes, total
        printf "ratio     %8.3f             applied / offered; caught up %.2f s after the workload ended\n", ratio, after
    } else {
        printf "applied   %8s             the destination did not equal the source within %d s after the workload ended\n", "n/a", timeout
        printf "ratio     %8s\n", "n/a"
    }
    printf "latency   p50 %.3f s, p99 %.3f s, max %.3f s   _elt_synced_at - changed_at over %d rows changed during the workload\n", p50, p99, pmax, n
    printf "loads     %d during the workload and catch-up, %d rows staged each on average\n", loads, load_rows
    printf "rows      destination %s the source (md5 of every row)\n", (same == "yes" ? "equals" : "DIFFERS FROM")
    print ""
    fmt = "%-62s %12s  %s\n"
    printf fmt, "target", "measured", ""
    printf fmt, sprintf("p99 latency <= checkpoint interval + 2 s = %d s", lt), sprintf("%.3f s", p99), (p99 <= lt ? "PASS" : "MISS")
    printf "keeps up with %d changes/s:\n", target
    printf fmt, sprintf("  workload offered >= 0.95 x %d changes/s", target), sprintf("%.0f/s", offered), (offered >= 0.95 * target ? "PASS" : "MISS")
    printf fmt, "  applied / offered >= 0.95", (ok ? sprintf("%.3f", ratio) : "n/a"), (ok && ratio >= 0.95 ? "PASS" : "MISS")
    printf fmt, sprintf("  caught up <= %d s after the workload ended", lt), (ok ? sprintf("%.2f s", after) : "n/a"), (ok && after <= lt ? "PASS" : "MISS")
}'
echo
# The most heap in use before any collection (-Xlog:gc lines "...123M->45M(512M)...").
peak=$(grep -oE '[0-9]+M->[0-9]+M' "$WORK/pipeline.gc.log" 2>/dev/null | awk -F'M->' '$1 > m { m = $1 } END { print (m ? m " MiB" : "?") }')
echo "Peak heap of the pipeline's JVM (from -Xlog:gc): $peak"
echo "Logs: $LOG, $PGBENCH_LOG"
