#!/usr/bin/env bash
# Benchmark of the WAL a pipeline's replication slot holds during the initial sync (a measurement,
# not a test; issue 13 "read the change log while the snapshot runs"): the same snapshot with a steady
# stream of changes beside it, once per mode of source.log-during-snapshot, each from scratch.
#
#   scripts/bench-wal.sh                                    5,000,000 rows, both modes
#   ELT_BENCH_ROWS=200000 scripts/bench-wal.sh              a quick try
#   ELT_BENCH_MODES=false scripts/bench-wal.sh              the sequential mode alone
#
# Database bench_wal_source: public.big(id bigint primary key, a int, b text (~100 bytes),
# c timestamptz), ELT_BENCH_ROWS rows from generate_series, made once and never changed; public.hot,
# the same columns, ELT_BENCH_HOT_ROWS rows with a = 0, made again for each mode. Destination,
# made again for each mode, ELT_BENCH_DEST:
#   duckdb (the default)  the file dest.duckdb in the mode's folder: the source server's WAL is the
#                         source's own (and any other client's of that server: run it on a quiet one)
#   postgres              database bench_wal_dest on the source's server. Its loads write WAL on that
#                         server too (in the WAL figures, in both modes alike), and a load's long
#                         transaction holds the slot's restart_lsn back (xl_running_xacts, the oldest
#                         transaction open on the server, is where a slot can restart from)
#
# For each mode in ELT_BENCH_MODES (false: the sequential mode, the change log read after the
# snapshot; true: the change log read beside the snapshot, the default since main's 754315d), pipeline bench-wal-sequential or
# bench-wal-during (slot elt_cdc_bench_wal_sequential / elt_cdc_bench_wal_during), written to the
# work folder: tables [public.big, public.hot], parallelism 2, checkpoint-interval
# ELT_BENCH_CHECKPOINT_SECONDS, state-dir and staging in the work folder, source.log-during-snapshot:
# MODE, written in both modes (left out only for false when the jar is older than the key, whose
# only mode the sequential one then is; true is then refused before any work):
#
#   1. CHECKPOINT; note pg_current_wal_lsn(); java -jar elt-cdc.jar run --pipeline FILE
#      --progress-interval 1s in the background; right after it, pgbench -f scripts/lib/bench-wal.pgbench
#      (one UPDATE of a random row of public.hot a transaction, a = a + 1) at ELT_BENCH_UPDATE_RATE
#      transactions/s (-R).
#   2. Every 0.5 s: pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) of the pipeline's slot (the WAL
#      it holds), to the file slot.log in the mode's folder (with the WAL written since the start and
#      the slot's confirmed_flush_lsn distance).
#   3. Snapshot end, the signal: the first of the pipeline's progress lines (printed every second)
#      where public.big shows every chunk finished, ELT_BENCH_ROWS rows read and ELT_BENCH_ROWS rows
#      loaded (into the destination, committed) and public.hot every chunk finished and at least its
#      rows read and loaded. public.big is never changed, so its "rows loaded" counts snapshot rows
#      only. The script looks every 0.5 s: the end is known to about 1 s. There pgbench is stopped.
#      (log-during-snapshot also logs "ChunkSplitEnumerator - Snapshot complete: every table is read,
#      checkpointed and marked"; the sequential mode has no such line, so both go by the progress lines.)
#   4. Poll every 0.5 s until the destination equals the source: public.hot (count, sum(a), max(c))
#      and the row count of public.big, one query. DuckDB: with scripts/lib/DuckQuery.java (compiled
#      once into the work folder), a read-only connection a question, closed right after it, as
#      README "Faults" says to read the file while the pipeline runs (a JVM start each: a poll takes
#      about a second). A question that finds the file held by a load fails and counts as not equal;
#      a load that finds it held by a question waits 1 s and tries again (its WARN line is counted,
#      "loads that waited for the script's reads").
#   5. Then the pipeline is stopped (SIGTERM) and an md5 of every row of both tables compared (c as
#      epoch microseconds, the same text in both databases).
#
# It prints for each mode:
#   slot created      s after the launch, when the slot poll first saw the slot
#   snapshot s        from the snapshot's start to its end. The start: the log has both the line
#                     "ChunkSplitEnumerator - Snapshot of 2 table(s)" (both modes log it when the job's
#                     enumerator starts) and "PostgresSlotRecorder - Created replication slot" (with
#                     log-during-snapshot before the job, sequential right after the first line: making
#                     a slot waits for every transaction open on the server, any database, to end);
#                     seen by the 0.5 s look at the log. JVM start, checks and that wait not included
#   snapshot rate     rows of public.big / snapshot s
#   read              s from the start until the progress lines show every chunk of both tables read
#                     (the sequential mode starts its change log there), and the rate of that
#   WAL written       pg_wal_lsn_diff between the pipeline's launch and the snapshot end
#   WAL / interval    WAL written / (snapshot end - launch) x checkpoint interval
#   peak held         the most WAL the slot held at any 0.5 s poll until the snapshot end; also in
#                     checkpoint intervals (peak / WAL per interval) and as a share of WAL written
#   converge s        from the snapshot end (pgbench stopped) until the destination equalled the source
#   updates           pgbench's committed updates of public.hot (sum(a)) and their rate
#   oldest held       the oldest WAL the slot held until the snapshot end, in s: at each poll, how
#                     long before it the server's WAL had reached the slot's restart_lsn (0.5 s
#                     resolution); also in checkpoint intervals. Unlike the MB figures it does not
#                     depend on how much WAL is written (a PostgreSQL destination's loads included)
#   restart_lsn moved the first time the slot's restart_lsn moved, s after the slot was first seen
#                     (until the destination equalled the source); and how many times it moved
#                     before the snapshot end (the slot poll's distinct restart_lsn values, less one),
#                     and the slot's confirmed_flush_lsn (which restart_lsn follows)
#   held after        the WAL the slot held when the destination equalled the source
#   polls ... elsewhere  of the slot polls from the launch to the snapshot end, how many saw a client
#                     session with a transaction open in another database of the server (not
#                     postgres, the source, the destination): not 0, the WAL figures (server-wide)
#                     may hold its WAL, and a slot being made waited for it. Run on a quiet server
# and a comparison: snapshot rate ratio log-during-snapshot / sequential, and the targets, PASS or
# MISS, for log-during-snapshot: peak held <= 3 checkpoint intervals, <= 25 % of the WAL written
# during the snapshot, snapshot rate >= 0.90 x sequential's. It exits 0 either way (it reports, it
# does not judge); non-zero only when it could not measure.
#
# Settings (environment): ELT_BENCH_ROWS (rows of public.big, default 5000000), ELT_BENCH_HOT_ROWS
# (10000), ELT_BENCH_UPDATE_RATE (updates/s, 500), ELT_BENCH_CLIENTS (pgbench clients, 4),
# ELT_BENCH_CHECKPOINT_SECONDS (10), ELT_BENCH_DEST (duckdb or postgres, default duckdb),
# ELT_BENCH_MODES (default "false true": the modes, in this order), ELT_BENCH_SNAPSHOT_TIMEOUT (s to
# wait for the snapshot end, 3600), ELT_BENCH_CONVERGE_TIMEOUT (s to wait for the destination to
# equal the source after it, 600), ELT_BENCH_DIR (work folder, default a new
# /tmp/elt-cdc-bench-wal.XXXXXX), ELT_JAR=path uses that jar as it is.
#
# On exit, also Ctrl-C: stops pgbench, the slot poll and the pipeline (SIGTERM: the runner cancels the
# job), drops the pipelines' replication slots and publications (elt-cdc.jar drop-slot), drops the
# databases (and removes the DuckDB files) and the staging and state folders; the logs stay in the
# work folder.
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
if [ -n "${ELT_BENCH_DIR:-}" ]; then ELT_BENCH_DIR=$(realpath -m "$ELT_BENCH_DIR"); fi
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELT_LOG_TAG="bench-wal"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

ROWS=${ELT_BENCH_ROWS:-5000000}
HOT_ROWS=${ELT_BENCH_HOT_ROWS:-10000}
UPDATE_RATE=${ELT_BENCH_UPDATE_RATE:-500}
CLIENTS=${ELT_BENCH_CLIENTS:-4}
CHECKPOINT=${ELT_BENCH_CHECKPOINT_SECONDS:-10}
SNAPSHOT_TIMEOUT=${ELT_BENCH_SNAPSHOT_TIMEOUT:-3600}
CONVERGE_TIMEOUT=${ELT_BENCH_CONVERGE_TIMEOUT:-600}
for setting in ROWS:ROWS HOT_ROWS:HOT_ROWS UPDATE_RATE:UPDATE_RATE CLIENTS:CLIENTS CHECKPOINT:CHECKPOINT_SECONDS \
    SNAPSHOT_TIMEOUT:SNAPSHOT_TIMEOUT CONVERGE_TIMEOUT:CONVERGE_TIMEOUT; do
    value=${setting%%:*}
    [[ "${!value}" =~ ^[1-9][0-9]*$ ]] || elt_die "ELT_BENCH_${setting#*:} must be a positive integer, got '${!value}'"
done
DEST=${ELT_BENCH_DEST:-duckdb}
[[ "$DEST" =~ ^(duckdb|postgres)$ ]] || elt_die "ELT_BENCH_DEST must be duckdb or postgres, got '$DEST'"
read -r -a MODES <<<"${ELT_BENCH_MODES:-false true}"
((${#MODES[@]} > 0)) || elt_die "ELT_BENCH_MODES names no mode; use \"false true\", \"false\" or \"true\""
for ((i = 0; i < ${#MODES[@]}; i++)); do
    [[ "${MODES[i]}" =~ ^(false|true)$ ]] || elt_die "ELT_BENCH_MODES: '${MODES[i]}' is no mode (false or true)"
    for ((j = 0; j < i; j++)); do
        [ "${MODES[j]}" != "${MODES[i]}" ] || elt_die "ELT_BENCH_MODES names '${MODES[i]}' twice"
    done
done

PARALLELISM=2
POLL=0.5        # s between two looks at the progress lines and at the slot
HELD_TARGET_INTERVALS=3
HELD_TARGET_SHARE=25   # % of the WAL written during the snapshot
RATE_TARGET=0.90       # x the sequential mode's snapshot rate
WORKLOAD=scripts/lib/bench-wal.pgbench
SOURCE_DB=bench_wal_source
DEST_DB=bench_wal_dest

label() { if [ "$1" = true ]; then echo log-during-snapshot; else echo sequential; fi; }
pipeline_name() { if [ "$1" = true ]; then echo bench-wal-during; else echo bench-wal-sequential; fi; }
slot_name() { pipeline_name "$1" | tr - _ | sed 's/^/elt_cdc_/'; } # ReplicationNames: elt_cdc_ + name, '-' as '_'

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
command -v pgbench >/dev/null 2>&1 || elt_die "pgbench not found (Debian: package postgresql-contrib or postgresql-client)"
command -v unzip >/dev/null 2>&1 || elt_die "unzip not found (Debian: package unzip); it tells whether the jar knows source.log-during-snapshot"
elt_ensure_jar
JAR=$(cd "$(dirname "$ELT_JAR")" && pwd)/$(basename "$ELT_JAR")
elt_ensure_postgres

# Whether the jar knows the key (its config parser refuses unknown keys): the key's name is a string
# constant of one of its classes. Without it the jar has the sequential mode only.
KNOWS_MODE_KEY=0
if [ "$(unzip -p "$JAR" 'io/eltcdc/*' 2>/dev/null | grep -ac 'log-during-snapshot' || true)" -gt 0 ]; then
    KNOWS_MODE_KEY=1
fi
if [ "$KNOWS_MODE_KEY" -eq 0 ]; then
    for mode in "${MODES[@]}"; do
        [ "$mode" = false ] || elt_die "$JAR does not know source.log-during-snapshot: build one that does, or set ELT_BENCH_MODES=false"
    done
    elt_step "$JAR does not know source.log-during-snapshot: the sequential mode runs without the key (its only mode)"
fi

WORK=${ELT_BENCH_DIR:-$(mktemp -d /tmp/elt-cdc-bench-wal.XXXXXX)}
mkdir -p "$WORK"

write_pipeline() { # MODE: writes the mode's folder and pipeline file
    local mode=$1 dir key=""
    dir="$WORK/$(label "$1")"
    mkdir -p "$dir"
    if [ "$KNOWS_MODE_KEY" -eq 1 ]; then key=", log-during-snapshot: $mode"; fi
    local destination="{ type: duckdb, path: \"$dir/dest.duckdb\" }"
    if [ "$DEST" = postgres ]; then
        destination="{ type: postgres, host: $ELT_PG_HOST, port: $ELT_PG_PORT, database: $DEST_DB, username: postgres }"
    fi
    cat >"$dir/pipeline.yaml" <<YAML
# Written by scripts/bench-wal.sh
pipeline: { name: $(pipeline_name "$mode"), parallelism: $PARALLELISM, checkpoint-interval: ${CHECKPOINT}s, state-dir: "file://$dir/state" }
source: { type: postgres, host: $ELT_PG_HOST, port: $ELT_PG_PORT, database: $SOURCE_DB, username: postgres, tables: [public.big, public.hot]$key }
staging: { path: "file://$dir/staging" }
destination: $destination
YAML
}
for mode in "${MODES[@]}"; do write_pipeline "$mode"; done

# The DuckDB destination is read with scripts/lib/DuckQuery.java (the DuckDB driver of the jar),
# compiled once: the source-file launcher would compile it again for every question.
DUCK_CLASSES="" DUCK_FILE=""
if [ "$DEST" = duckdb ]; then
    if command -v javac >/dev/null 2>&1 && javac -d "$WORK/duckquery" scripts/lib/DuckQuery.java; then
        DUCK_CLASSES="$WORK/duckquery"
    else
        elt_step "javac missing or failed: scripts/lib/DuckQuery.java runs from source (each question compiles it)"
    fi
fi

# --- helpers -------------------------------------------------------------------------------
db_exists() { [ -n "$(elt_psql -d postgres -Atc "select 1 from pg_database where datname = '$1'")" ]; }
slot_state() { elt_psql -d postgres -Atc "select active from pg_replication_slots where slot_name = '$1'"; } # t, f or nothing
slot_idle() { [ "$(slot_state "$1")" != t ]; }
process_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
process_gone() { ! kill -0 "$1" 2>/dev/null; }

PIPELINE_PID="" PGBENCH_PID="" MONITOR_PID="" LOG=""

# poll_until SECONDS COMMAND...: runs COMMAND every $POLL s until it succeeds; fails at the deadline,
# and stops the script when the pipeline has exited meanwhile.
poll_until() {
    local deadline
    deadline=$(awk -v t="$(now)" -v s="$1" 'BEGIN { printf "%.3f", t + s }')
    shift
    until "$@" >/dev/null 2>&1; do
        if [ -n "$PIPELINE_PID" ] && ! process_alive "$PIPELINE_PID"; then
            tail -n 30 "$LOG" >&2
            elt_die "the pipeline exited (log: $LOG)"
        fi
        if awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t >= d) }'; then
            return 1
        fi
        sleep "$POLL"
    done
}

stop_pgbench() {
    process_alive "$PGBENCH_PID" || { PGBENCH_PID=""; return 0; }
    local pid=$PGBENCH_PID
    PGBENCH_PID=""
    # SIGTERM: a background job of a non-interactive shell ignores SIGINT.
    kill -TERM "$pid" 2>/dev/null || true
    elt_wait_until 10 process_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_monitor() {
    process_alive "$MONITOR_PID" || { MONITOR_PID=""; return 0; }
    local pid=$MONITOR_PID
    MONITOR_PID=""
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_pipeline() {
    process_alive "$PIPELINE_PID" || { PIPELINE_PID=""; return 0; }
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

# Drops the mode's slot and publication (never leave a slot behind: the server keeps WAL for it forever).
drop_slot() { # MODE
    local slot pipeline
    slot=$(slot_name "$1")
    pipeline="$WORK/$(label "$1")/pipeline.yaml"
    if [ -n "$(slot_state "$slot")" ]; then
        # The walsender of a stopped pipeline may take a moment to go.
        elt_wait_until 30 slot_idle "$slot" || elt_step "warning: slot $slot is still active"
        if db_exists "$SOURCE_DB"; then
            elt_step "dropping replication slot $slot: java -jar $ELT_JAR drop-slot --pipeline $pipeline"
            java -jar "$JAR" drop-slot --pipeline "$pipeline" 2>&1 | sed "s/^/[$ELT_LOG_TAG]   /" || true
        fi
        if [ -n "$(slot_state "$slot")" ]; then
            elt_step "the slot is still there: pg_drop_replication_slot('$slot')"
            elt_psql -d postgres -Atc "select pg_drop_replication_slot('$slot')" >/dev/null ||
                elt_step "WARNING: could not drop replication slot $slot; drop it by hand, it keeps WAL"
        fi
    fi
    if db_exists "$SOURCE_DB"; then
        elt_psql -d "$SOURCE_DB" -c "DROP PUBLICATION IF EXISTS $slot" 2>&1 | grep -v '^NOTICE' || true
    fi
}

drop_database() { # NAME
    if db_exists "$1" && ! elt_psql -d postgres -c "DROP DATABASE $1 WITH (FORCE)"; then
        elt_step "warning: could not drop database $1; its replication slots:" \
            "$(elt_psql -d postgres -Atc "select string_agg(slot_name, ', ') from pg_replication_slots where database = '$1'")"
    fi
}

# Everything one mode's run leaves behind, but its logs.
end_run() { # MODE
    stop_pgbench
    stop_pipeline
    stop_monitor
    drop_slot "$1"
    drop_database "$DEST_DB"
    rm -rf "$WORK/$(label "$1")/staging" "$WORK/$(label "$1")/state" "$WORK/$(label "$1")/dest.duckdb" "$WORK/$(label "$1")/dest.duckdb.wal"
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
    local mode
    for mode in "${MODES[@]}"; do end_run "$mode"; done
    elt_step "dropping database $SOURCE_DB"
    drop_database "$SOURCE_DB"
    set -e
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the source --------------------------------------------------------------------------------
for mode in "${MODES[@]}"; do end_run "$mode"; done # left by an interrupted run
drop_database "$SOURCE_DB"
elt_step "creating $SOURCE_DB with public.big ($ROWS rows)"
t=$(now)
elt_psql -d postgres -c "CREATE DATABASE $SOURCE_DB"
elt_psql -d "$SOURCE_DB" >/dev/null <<SQL
SET client_min_messages = warning;
SET maintenance_work_mem = '512MB';
CREATE TABLE public.big (id bigint NOT NULL, a int NOT NULL, b text NOT NULL, c timestamptz NOT NULL);
INSERT INTO public.big
SELECT g, (g % 100000)::int, left(repeat(md5(g::text), 4), 100),
       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(1, $ROWS::bigint) AS g;
ALTER TABLE public.big ADD PRIMARY KEY (id);
VACUUM (ANALYZE) public.big;
SQL
big_size=$(elt_psql -d "$SOURCE_DB" -Atc "select pg_size_pretty(pg_table_size('public.big'))")
elt_step "created in $(elapsed "$t" "$(now)") s ($big_size)"

# Questions to the source (PostgreSQL) and to the destination (the mode's DuckDB file or database
# bench_wal_dest), each answer's columns tab-separated. c is compared as epoch microseconds: the
# text of a timestamptz differs between the two.
source_query() { elt_psql -d "$SOURCE_DB" -At -F $'\t' -c "$1"; }
dest_query() {
    if [ "$DEST" = postgres ]; then
        elt_psql -d "$DEST_DB" -At -F $'\t' -c "$1"
    elif [ -n "$DUCK_CLASSES" ]; then
        java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR:$DUCK_CLASSES" DuckQuery "$DUCK_FILE" "$1"
    else
        java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JAR" scripts/lib/DuckQuery.java "$DUCK_FILE" "$1"
    fi
}
micros_pg() { echo "(extract(epoch from $1) * 1000000)::bigint"; }
micros_duck() { echo "epoch_us($1)"; }
micros() { # DIALECT (pg or the destination's) EXPRESSION
    if [ "$1" = pg ] || [ "$DEST" = postgres ]; then micros_pg "$2"; else micros_duck "$2"; fi
}
# md5 of every row, by key range of a million rows: one string_agg of every row's md5 would pass
# PostgreSQL's 1 GB limit at 33 M rows (and of the rows themselves, at 5 M). floor() is the same
# range in both dialects (DuckDB's / of integers gives a double, PostgreSQL's an integer).
digest_sql() { # DIALECT TABLE
    echo "select md5(string_agg(h, '' order by r)) from (select floor(id / 1000000) as r,
          md5(string_agg(md5(concat_ws(':', id, a, b, $(micros "$1" c))), '' order by id)) as h from $2 group by 1) as ranges"
}
# public.hot's count, sum(a) (the updates) and last change, and public.big's count: one question.
state_sql() { # DIALECT
    echo "select count(*), coalesce(sum(a), 0), $(micros "$1" 'max(c)'), (select count(*) from public.big) from public.hot"
}
elt_step "md5 of every row of public.big in $SOURCE_DB"
big_digest=$(source_query "$(digest_sql pg public.big)")

# --- one mode --------------------------------------------------------------------------------------
# Results by mode.
declare -A R_OTHERS R_LOCK_WAITS R_MOVES R_CONFIRMS R_AGE R_READ R_ADVANCED R_STARTED R_SNAP R_SLOT_AFTER R_WAL R_WAL_INTERVAL R_PEAK R_CONVERGE R_UPDATES R_UPDATE_RATE R_SAME R_HELD_AFTER R_RESTARTS

# Polls the slot every $POLL s in the background (one psql session, \watch), to FILE: lines
# "epoch wal-since-LSN0 held-from-restart_lsn held-from-confirmed_flush_lsn active others" ('-': no
# slot yet, or no confirmed_flush_lsn while it is being made); others: client sessions with a
# transaction open in another database than this script's (postgres, the source, the destination):
# their WAL is in the WAL figures, and a slot being made waits for them.
start_slot_poll() { # SLOT LSN0 FILE
    PGCONNECT_TIMEOUT=5 psql -X -q -w -h "$ELT_PG_HOST" -p "$ELT_PG_PORT" -U postgres -d postgres -At -F ' ' >"$3" 2>"$3.err" <<<"
        select extract(epoch from clock_timestamp()), pg_wal_lsn_diff(pg_current_wal_lsn(), '$2')::bigint,
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint::text, '-'),
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint::text, '-'),
               coalesce(s.active::text, '-'),
               (select count(*) from pg_stat_activity where backend_type = 'client backend' and xact_start is not null
                  and datname not in ('postgres', '$SOURCE_DB', '$DEST_DB'))
        from (values (1)) as x left join pg_replication_slots as s on s.slot_name = '$1' \watch $POLL" &
    MONITOR_PID=$!
}

# Exits 0 once the snapshot's enumerator has found the tables (both modes log it when the job starts)
# and the slot is made (the sequential mode makes it there, after the tables; creating a slot waits
# for every transaction open on the server to end, which is no part of the snapshot); or once a
# progress line shows rows of public.big read.
snapshot_started() {
    { grep -qE 'ChunkSplitEnumerator - Snapshot of [0-9]+ table' "$LOG" &&
        grep -qE 'PostgresSlotRecorder - (Created replication slot|Replication slot .* exists already)' "$LOG"; } ||
        grep -qE '^public\.big: chunks [0-9,]+/[0-9,]+, rows read [1-9]' "$LOG"
}

# Exits 0 when the progress lines show the snapshot loaded (see the header, 3.); sets T_READ the
# first time they show every chunk of both tables read.
T_READ=""
snapshot_loaded() {
    local status=0
    sed -nE 's/^public\.(big|hot): chunks ([0-9,]+)\/([0-9,?]+), rows read ([0-9,]+), rows loaded ([0-9,]+).*/\1 \2 \3 \4 \5/p' "$LOG" |
        tr -d , | awk -v rows="$ROWS" -v hot="$HOT_ROWS" '
        { chunks[$1] = $2; total[$1] = $3; nread[$1] = $4; loaded[$1] = $5 }
        function isread(t, n) { return total[t] ~ /^[0-9]+$/ && total[t] > 0 && chunks[t] == total[t] && nread[t] >= n }
        END {
            if (!(isread("big", rows) && isread("hot", hot))) exit 1
            exit (loaded["big"] == rows && loaded["hot"] >= hot) ? 0 : 2
        }' || status=$?
    if [ "$status" -ne 1 ] && [ -z "$T_READ" ]; then T_READ=$(now); fi
    return "$status"
}

pgbench_sessions() { elt_psql -d postgres -Atc "select count(*) from pg_stat_activity where datname = '$SOURCE_DB' and application_name = 'pgbench'"; }
no_pgbench_session() { [ "$(pgbench_sessions)" = 0 ]; }
SOURCE_STATE="" T_SAME="" DEST_STATE=""
# Sets T_SAME to when the answer came (a DuckDB question takes about a second, mostly the JVM's start).
dest_converged() {
    DEST_STATE=$(dest_query "$(state_sql dest)" 2>/dev/null) || DEST_STATE="(not readable)"
    [ "$DEST_STATE" = "$SOURCE_STATE" ] || return 1
    T_SAME=$(now)
}

run_mode() { # MODE
    local mode=$1 name dir slot lsn0 t0 t_start t_end wal_end status
    name=$(label "$mode")
    dir="$WORK/$name"
    slot=$(slot_name "$mode")
    LOG="$dir/pipeline.log"
    local slot_log="$dir/slot.log" pgbench_log="$dir/pgbench.log"
    rm -f "$LOG" "$slot_log" "$slot_log.err" "$pgbench_log" "$dir/pipeline.gc.log" "$dir/dest.duckdb" "$dir/dest.duckdb.wal"
    DUCK_FILE="$dir/dest.duckdb"

    elt_step "== $name (source.log-during-snapshot: $mode) =="
    if [ "$DEST" = postgres ]; then
        elt_step "public.hot ($HOT_ROWS rows, a = 0) made again; database $DEST_DB, empty"
    else
        elt_step "public.hot ($HOT_ROWS rows, a = 0) made again; destination $DUCK_FILE, none yet"
    fi
    elt_psql -d "$SOURCE_DB" >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.hot;
CREATE TABLE public.hot (id bigint PRIMARY KEY, a int NOT NULL, b text NOT NULL, c timestamptz NOT NULL);
INSERT INTO public.hot SELECT g, 0, repeat(md5(g::text), 3), clock_timestamp() FROM generate_series(1, $HOT_ROWS) AS g;
VACUUM (ANALYZE) public.hot;
SQL
    if [ "$DEST" = postgres ]; then elt_psql -d postgres -c "CREATE DATABASE $DEST_DB"; fi
    # The same start for both modes: full-page images after a checkpoint weigh on the WAL written.
    elt_psql -d postgres -c CHECKPOINT

    lsn0=$(elt_psql -d postgres -Atc "select pg_current_wal_lsn()")
    start_slot_poll "$slot" "$lsn0" "$slot_log"
    elt_step "starting: java -jar $ELT_JAR run --pipeline $dir/pipeline.yaml --progress-interval 1s (log: $LOG)"
    t0=$(now)
    java -Xlog:gc:file="$dir/pipeline.gc.log" -jar "$JAR" run --pipeline "$dir/pipeline.yaml" --progress-interval 1s >"$LOG" 2>&1 &
    PIPELINE_PID=$!
    elt_step "workload: pgbench, $CLIENTS clients, -R $UPDATE_RATE updates/s of public.hot until the snapshot end (log: $pgbench_log)"
    pgbench -h "$ELT_PG_HOST" -p "$ELT_PG_PORT" -U postgres -n -M prepared -f "$WORKLOAD" -D "hot_rows=$HOT_ROWS" \
        -c "$CLIENTS" -j "$((CLIENTS < 2 ? CLIENTS : 2))" -R "$UPDATE_RATE" -T "$((SNAPSHOT_TIMEOUT + 60))" -P 10 \
        "$SOURCE_DB" >"$pgbench_log" 2>&1 &
    PGBENCH_PID=$!

    elt_step "waiting for the snapshot start (the lines 'Snapshot of 2 table(s)' and 'Created replication slot')"
    poll_until "$SNAPSHOT_TIMEOUT" snapshot_started ||
        elt_die "$name: the snapshot did not start within ${SNAPSHOT_TIMEOUT}s (log: $LOG)"
    t_start=$(now)
    T_READ=""
    elt_step "snapshot started $(elapsed "$t0" "$t_start") s after the launch; waiting for its end (progress lines of public.big and public.hot)"
    poll_until "$SNAPSHOT_TIMEOUT" snapshot_loaded ||
        elt_die "$name: the snapshot did not end within ${SNAPSHOT_TIMEOUT}s (log: $LOG)"
    t_end=$(now)
    wal_end=$(elt_psql -d postgres -Atc "select pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn0')::bigint")
    local pgbench_ran=1
    process_alive "$PGBENCH_PID" || pgbench_ran=0
    stop_pgbench
    [ "$pgbench_ran" -eq 1 ] || { tail -n 20 "$pgbench_log" >&2; elt_die "$name: pgbench ended before the snapshot did (log: $pgbench_log)"; }
    elt_step "snapshot end $(elapsed "$t0" "$t_end") s after the launch (WAL from $lsn0 to $(elt_psql -d postgres -Atc "select pg_lsn '$lsn0' + $wal_end")): $(grep -E '^public\.(big|hot): ' "$LOG" | tail -n 2 | paste -sd ';' -)"
    elt_wait_until 30 no_pgbench_session || elt_step "warning: pgbench's sessions are still there after 30 s"

    process_alive "$MONITOR_PID" || elt_die "$name: the slot poll ended before the snapshot did: $(cat "$slot_log.err")"
    SOURCE_STATE=$(source_query "$(state_sql pg)")
    local updates converge="" held_after="-"
    updates=$(cut -f2 <<<"$SOURCE_STATE")
    elt_step "$updates updates of public.hot; waiting until the destination equals the source (hot: count, sum(a), max(c) in µs; big: count = $(tr '\t' ' ' <<<"$SOURCE_STATE"))"
    if poll_until "$CONVERGE_TIMEOUT" dest_converged; then
        converge=$(elapsed "$t_end" "$T_SAME")
        held_after=$(elt_psql -d postgres -Atc "select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint from pg_replication_slots where slot_name = '$slot'")
        elt_step "converged $converge s after the snapshot end"
    else
        elt_step "the destination does not equal the source ${CONVERGE_TIMEOUT}s after the snapshot end: $(tr '\t' ' ' <<<"$DEST_STATE")"
    fi
    # Stopped before the md5s: DuckDB's file is then free for the long questions.
    stop_pipeline
    # The slot poll's lines: the first with the slot, the most held until the snapshot end, the
    # oldest WAL held then (how long before the poll the WAL had reached restart_lsn: the first line
    # whose position is at or past it), the first time restart_lsn moved (the poll runs on until here).
    local slot_after peak advanced age moves confirms others
    read -r slot_after peak advanced age moves confirms others < <(awk -v t0="$t0" -v te="$t_end" '
        { n++; t[n] = $1; w[n] = $2 }
        $1 <= te { polls++; if ($6 > 0) busy++ }
        $3 == "-" { next }
        { r = $2 - $3 }
        first == "" { first = $1; r0 = r; last = r }
        adv == "" && r > r0 { adv = $1 - first }
        $1 <= te && r != last { moves++ }
        { last = r }
        $4 == "-" { next }
        { f = $2 - $4 }
        lastf != "" && $1 <= te && f != lastf { confirms++ }
        { lastf = f }
        $1 <= te && $3 + 0 > max { max = $3 + 0 }
        $1 <= te { while (p < n && w[p + 1] < r) p++; if ($1 - t[p + 1] > oldest) oldest = $1 - t[p + 1] }
        END {
            printf "%s %d %s %.1f %d %d %d/%d\n", (first == "" || first > te ? "-" : sprintf("%.2f", first - t0)), max,
                (adv == "" ? "-" : sprintf("%.1f", adv)), oldest, moves, confirms, busy, polls
        }' "$slot_log")
    [ "$slot_after" != "-" ] || elt_die "$name: the slot poll never saw slot $slot before the snapshot end ($slot_log)"
    local same=NO
    elt_step "md5 of every row of both tables in the destination"
    if [ "$(dest_query "$(digest_sql dest public.hot)")" = "$(source_query "$(digest_sql pg public.hot)")" ] &&
        [ "$(dest_query "$(digest_sql dest public.big)")" = "$big_digest" ]; then
        same=yes
    fi
    status=$(grep -c 'the pipeline failed and restarts' "$LOG" || true)
    R_LOCK_WAITS[$mode]=$(grep -c 'destination unavailable for' "$LOG" || true)

    R_SLOT_AFTER[$mode]=$slot_after
    R_ADVANCED[$mode]=$advanced
    R_MOVES[$mode]=$moves
    R_CONFIRMS[$mode]=$confirms
    R_OTHERS[$mode]=$others
    R_AGE[$mode]=$age
    R_STARTED[$mode]=$(elapsed "$t0" "$t_start")
    R_SNAP[$mode]=$(elapsed "$t_start" "$t_end")
    R_READ[$mode]=$(elapsed "$t_start" "$T_READ")
    R_WAL[$mode]=$wal_end
    R_WAL_INTERVAL[$mode]=$(awk -v w="$wal_end" -v a="$t0" -v b="$t_end" -v c="$CHECKPOINT" 'BEGIN { printf "%.0f", w / (b - a) * c }')
    R_PEAK[$mode]=$peak
    R_CONVERGE[$mode]=$converge
    R_UPDATES[$mode]=$updates
    R_UPDATE_RATE[$mode]=$(awk -v u="$updates" -v a="$t0" -v b="$t_end" 'BEGIN { printf "%.0f", u / (b - a) }')
    R_SAME[$mode]=$same
    R_HELD_AFTER[$mode]=$held_after
    R_RESTARTS[$mode]=$status
    end_run "$mode"
}

for mode in "${MODES[@]}"; do run_mode "$mode"; done
pg_version=$(elt_psql -d postgres -Atc 'show server_version' | cut -d' ' -f1)
cleanup

# --- report ------------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { if (b == "" || b == "-") print "-"; else printf "%.1f", b / 1e6 }'; }
row() { # TITLE FORMAT-OF-A-VALUE FUNCTION: one column per mode
    local title=$1 mode line
    line=$(printf '%-52s' "$title")
    for mode in "${MODES[@]}"; do line+=$(printf ' %20s' "$("$2" "$mode")"); done
    echo "$line"
}
v_slot() { echo "${R_SLOT_AFTER[$1]}"; }
v_started() { echo "${R_STARTED[$1]}"; }
v_read() { echo "${R_READ[$1]}"; }
v_read_rate() { awk -v r="$ROWS" -v s="${R_READ[$1]}" 'BEGIN { printf "%.0f", r / s }'; }
v_snap() { echo "${R_SNAP[$1]}"; }
v_rate() { awk -v r="$ROWS" -v s="${R_SNAP[$1]}" 'BEGIN { printf "%.0f", r / s }'; }
v_wal() { mb "${R_WAL[$1]}"; }
v_interval() { mb "${R_WAL_INTERVAL[$1]}"; }
v_peak() { mb "${R_PEAK[$1]}"; }
v_peak_intervals() { awk -v p="${R_PEAK[$1]}" -v i="${R_WAL_INTERVAL[$1]}" 'BEGIN { printf "%.2f", (i > 0 ? p / i : 0) }'; }
v_peak_share() { awk -v p="${R_PEAK[$1]}" -v w="${R_WAL[$1]}" 'BEGIN { printf "%.1f %%", (w > 0 ? 100 * p / w : 0) }'; }
v_updates() { echo "${R_UPDATES[$1]} (${R_UPDATE_RATE[$1]}/s)"; }
v_converge() { if [ -n "${R_CONVERGE[$1]}" ]; then echo "${R_CONVERGE[$1]}"; else echo "n/a (>${CONVERGE_TIMEOUT})"; fi; }
v_age() { echo "${R_AGE[$1]}"; }
v_age_intervals() { awk -v a="${R_AGE[$1]}" -v c="$CHECKPOINT" 'BEGIN { printf "%.2f", a / c }'; }
v_advanced() { echo "${R_ADVANCED[$1]}"; }
v_moves() { echo "${R_MOVES[$1]}"; }
v_confirms() { echo "${R_CONFIRMS[$1]}"; }
v_others() { echo "${R_OTHERS[$1]}"; }
v_lock_waits() { echo "${R_LOCK_WAITS[$1]}"; }
v_held_after() { mb "${R_HELD_AFTER[$1]}"; }
v_same() { if [ "${R_SAME[$1]}" = yes ]; then echo equal; else echo DIFFERENT; fi; }
v_restarts() { echo "${R_RESTARTS[$1]}"; }
v_mode() { label "$1"; }

echo
echo "WAL benchmark (issue 13): public.big $ROWS rows ($big_size), public.hot $HOT_ROWS rows updated by pgbench at -R $UPDATE_RATE/s ($CLIENTS clients) during the snapshot"
if [ "$DEST" = postgres ]; then
    echo "PostgreSQL $pg_version -> PostgreSQL on the same server ($SOURCE_DB -> $DEST_DB: the loads' WAL is in the WAL figures) (ELT_BENCH_DEST=postgres)"
else
    echo "PostgreSQL $pg_version -> DuckDB file in the mode's folder ($SOURCE_DB -> dest.duckdb: the WAL figures are the source server's own) (ELT_BENCH_DEST=duckdb)"
fi
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -n 1); parallelism $PARALLELISM, checkpoint-interval ${CHECKPOINT}s"
echo "Snapshot end: the first progress line (1 s) with every chunk of both tables finished and public.big's $ROWS rows loaded."
echo
row "source.log-during-snapshot" v_mode
row "slot created, s after the launch" v_slot
row "snapshot started, s after the launch" v_started
row "snapshot s (started -> snapshot end)" v_snap
row "snapshot rate, rows of public.big / s" v_rate
row "  every chunk read, s after the start" v_read
row "  read rate, rows of public.big / s" v_read_rate
row "WAL written, launch -> snapshot end, MB" v_wal
row "WAL written in one checkpoint interval, MB" v_interval
row "peak WAL held by the slot during the snapshot, MB" v_peak
row "  in checkpoint intervals" v_peak_intervals
row "  share of the WAL written during the snapshot" v_peak_share
row "oldest WAL held during the snapshot, s behind the poll" v_age
row "  in checkpoint intervals" v_age_intervals
row "updates of public.hot during the snapshot" v_updates
row "converged s after the snapshot end" v_converge
row "slot's restart_lsn first moved, s after its creation" v_advanced
row "  times it moved before the snapshot end" v_moves
row "  times confirmed_flush_lsn moved before it" v_confirms
row "WAL held by the slot when converged, MB" v_held_after
row "destination rows (md5 of every row, both tables)" v_same
row "pipeline restarts (log)" v_restarts
row "polls (launch -> end) seeing a transaction elsewhere" v_others
[ "$DEST" != duckdb ] || row "loads that waited for the script's reads (log)" v_lock_waits
echo

have_false=0 have_true=0
for mode in "${MODES[@]}"; do
    if [ "$mode" = true ]; then have_true=1; else have_false=1; fi
done
target() { printf '%-64s %12s  %s\n' "$@"; }
if [ "$have_true" -eq 1 ] && [ "$have_false" -eq 1 ]; then
    ratio=$(awk -v a="${R_SNAP[false]}" -v b="${R_SNAP[true]}" 'BEGIN { printf "%.3f", a / b }')
    echo "Snapshot rate ratio, log-during-snapshot / sequential: $ratio"
else
    ratio=""
    echo "Snapshot rate ratio: n/a (ELT_BENCH_MODES=${MODES[*]}: both modes are needed)"
fi
echo
target "target (log-during-snapshot)" "measured" ""
if [ "$have_true" -eq 1 ]; then
    intervals=$(v_peak_intervals true)
    share=$(awk -v p="${R_PEAK[true]}" -v w="${R_WAL[true]}" 'BEGIN { printf "%.1f", (w > 0 ? 100 * p / w : 0) }')
    target "slot holds <= $HELD_TARGET_INTERVALS checkpoint intervals of WAL" "$intervals" \
        "$(awk -v x="$intervals" -v t="$HELD_TARGET_INTERVALS" 'BEGIN { print (x <= t ? "PASS" : "MISS") }')"
    target "slot holds <= $HELD_TARGET_SHARE % of the WAL written during the snapshot" "$share %" \
        "$(awk -v x="$share" -v t="$HELD_TARGET_SHARE" 'BEGIN { print (x <= t ? "PASS" : "MISS") }')"
else
    target "slot holds <= $HELD_TARGET_INTERVALS checkpoint intervals of WAL" "n/a" "(mode true not run)"
    target "slot holds <= $HELD_TARGET_SHARE % of the WAL written during the snapshot" "n/a" "(mode true not run)"
fi
if [ -n "$ratio" ]; then
    target "snapshot rate >= $RATE_TARGET x sequential" "$ratio" \
        "$(awk -v x="$ratio" -v t="$RATE_TARGET" 'BEGIN { print (x >= t ? "PASS" : "MISS") }')"
else
    target "snapshot rate >= $RATE_TARGET x sequential" "n/a" "(both modes needed)"
fi
echo
for mode in "${MODES[@]}"; do
    echo "Logs ($(label "$mode")): $WORK/$(label "$mode")/{pipeline.log,slot.log,pgbench.log}"
done
for mode in "${MODES[@]}"; do
    [ "${R_SAME[$mode]}" = yes ] || elt_step "warning: $(label "$mode"): the destination's rows differ from the source's"
done
