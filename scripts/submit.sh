#!/usr/bin/env bash
# Submits a pipeline to a Flink 1.20 session cluster through its REST API, and stops one with a
# savepoint. The cluster: scripts/local-cluster.sh start, or any other (--jobmanager).
#
#   scripts/submit.sh --pipeline FILE [--destination-jar JAR] [--snapshot-only] [--wait] [--from-savepoint PATH]
#   scripts/submit.sh --stop-with-savepoint JOBID [--savepoint-dir DIR]
#
#   --pipeline FILE           the pipeline YAML. Its content travels with the job (base64, as the
#                             program argument --pipeline-yaml-base64): the cluster needs no copy of
#                             the file. ${env:NAME} is resolved in the JobManager's environment.
#   --snapshot-only           only the initial sync; the job ends (FINISHED) when it is loaded
#   --wait                    wait until the job ends, printing per-table progress; exit 0 only if it
#                             FINISHED, else print why it failed and exit 1 (a continuous pipeline
#                             runs until it is stopped: --wait then waits until then)
#   --from-savepoint PATH     start from a savepoint (or retained checkpoint) of an earlier run
#   --allow-non-restored-state  with --from-savepoint: skip state that no operator takes
#   --stop-with-savepoint JOBID  take a savepoint and stop the job; prints "savepoint: PATH", the
#                             value for --from-savepoint
#   --savepoint-dir DIR       where the savepoint goes (default: the cluster's
#                             execution.checkpointing.savepoint-dir)
#   --destination-jar JAR     a destination that is a jar of its own (Snowflake, Redshift, BigQuery:
#                             dist/NAME/target/elt-cdc-NAME.jar), for a pipeline whose destination.type
#                             is not in the job jar. Added to the job's class path (pipeline.classpaths),
#                             not uploaded: the JobManager and every TaskManager read it themselves, at
#                             this path (a local file: the same path on each machine of the cluster, as
#                             on scripts/local-cluster.sh's) or at a URL (file://, http(s)://). Repeatable.
#   --jobmanager HOST:PORT    the cluster's REST address [127.0.0.1:$ELT_CLUSTER_REST_PORT, i.e. 127.0.0.1:8081]
#   --jar PATH                the job jar [$ELT_JAR, else job/target/elt-cdc-cluster.jar, built when missing
#                             or stale]
#
# How: POST /jars/upload (once per jar content: the upload is named by the jar's SHA-256 and reused;
# the cluster jar fits Flink's default upload limit of 100 MiB), POST /jars/<id>/run with entry class
# io.eltcdc.job.Main, program arguments `run --pipeline-yaml-base64 <yaml> [--snapshot-only]` and
# the destination jars as flinkConfiguration pipeline.classpaths (Main runs in the JobManager, checks
# the source and destination, and submits the job graph), then GET /jobs/<id> for --wait. Stop:
# POST /jobs/<id>/stop, GET /jobs/<id>/savepoints/<trigger>. Prints "job: <id>" and the web UI's
# address of the job. Needs curl and jq (installed with apt-get when missing).
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
START_DIR=$(pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELT_LOG_TAG="submit"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit "${1:-2}"
}

abs() { # PATH relative to where the script was started
    case "$1" in /*) echo "$1" ;; *) realpath -m "$START_DIR/$1" ;; esac
}

# A destination jar as the URL the cluster reads it from: URLs as they are, paths as file:// URLs.
destination_jar_url() {
    case "$1" in
    file:/* | http://* | https://*) echo "$1" ;;
    *://*) elt_die "--destination-jar $1: a path, or a file://, http:// or https:// URL" ;;
    *)
        local path
        path=$(abs "$1")
        [ -f "$path" ] || elt_die "--destination-jar $1: no such file"
        echo "file://$path"
        ;;
    esac
}

PIPELINE="" SNAPSHOT_ONLY=0 WAIT=0 JOBMANAGER="127.0.0.1:${ELT_CLUSTER_REST_PORT:-8081}" SAVEPOINT_DIR=""
FROM_SAVEPOINT="" STOP_JOB="" ALLOW_NON_RESTORED=false
CLASSPATHS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --pipeline) [ $# -ge 2 ] || usage; PIPELINE=$(abs "$2"); shift 2 ;;
    --snapshot-only) SNAPSHOT_ONLY=1; shift ;;
    --wait) WAIT=1; shift ;;
    --jobmanager) [ $# -ge 2 ] || usage; JOBMANAGER=$2; shift 2 ;;
    --savepoint-dir) [ $# -ge 2 ] || usage; SAVEPOINT_DIR=$2; shift 2 ;;
    --from-savepoint) [ $# -ge 2 ] || usage; FROM_SAVEPOINT=$2; shift 2 ;;
    --allow-non-restored-state) ALLOW_NON_RESTORED=true; shift ;;
    --stop-with-savepoint) [ $# -ge 2 ] || usage; STOP_JOB=$2; shift 2 ;;
    --jar) [ $# -ge 2 ] || usage; ELT_JAR=$(abs "$2"); shift 2 ;;
    --destination-jar)
        [ $# -ge 2 ] || usage
        url=$(destination_jar_url "$2")
        CLASSPATHS+=("$url")
        shift 2
        ;;
    -h | --help) usage 0 ;;
    *) elt_die "unknown argument '$1' (see --help)" ;;
    esac
done
if [ -n "$STOP_JOB" ]; then
    [ -z "$PIPELINE" ] || elt_die "--stop-with-savepoint and --pipeline go in separate commands"
    [ "${#CLASSPATHS[@]}" -eq 0 ] || elt_die "--destination-jar goes with --pipeline"
else
    [ -n "$PIPELINE" ] || elt_die "--pipeline FILE is required (see --help)"
    [ -f "$PIPELINE" ] || elt_die "--pipeline $PIPELINE: no such file"
    [ -z "$SAVEPOINT_DIR" ] || elt_die "--savepoint-dir goes with --stop-with-savepoint"
fi
# Local folders are given to the cluster as URIs.
case "$SAVEPOINT_DIR" in /*) SAVEPOINT_DIR="file://$SAVEPOINT_DIR" ;; esac
case "$FROM_SAVEPOINT" in /*) FROM_SAVEPOINT="file://$FROM_SAVEPOINT" ;; esac
REST="http://${JOBMANAGER#http://}"
REST=${REST%/}

command -v curl >/dev/null 2>&1 || elt_apt_install curl
command -v jq >/dev/null 2>&1 || elt_apt_install jq

# --- REST --------------------------------------------------------------------------------------

BODY=$(mktemp "${TMPDIR:-/tmp}/elt-cdc-submit.XXXXXX")
trap 'rm -f "$BODY"' EXIT

# rest METHOD PATH [curl args...]: the response body on stdout; fails on HTTP >= 400 (then
# rest_error prints Flink's error text).
rest() {
    local method=$1 path=$2 code
    shift 2
    code=$(curl -sS -o "$BODY" -w '%{http_code}' -X "$method" "$@" "$REST$path") ||
        elt_die "no answer from the Flink REST API at $REST (is the cluster running? scripts/local-cluster.sh status)"
    [ "$code" -lt 400 ] || return 1
    cat "$BODY"
}

rest_error() {
    jq -r '(.errors // [])[]' "$BODY" 2>/dev/null || cat "$BODY"
}

# The line a user needs from Flink's error text: elt-cdc's own message, else the deepest cause.
explain() {
    local text=$1 line
    line=$(grep -o 'elt-cdc failed (exit code [0-9]*)[^\\]*' <<<"$text" | head -n 1 | sed 's/[[:space:]]*$//' || true)
    if [ -z "$line" ]; then
        line=$(grep -E '^Caused by: ' <<<"$text" | tail -n 1 | sed 's/^Caused by: //' || true)
    fi
    if [ -z "$line" ]; then
        line=$(grep -v '^[[:space:]]*$' <<<"$text" | head -n 1)
    fi
    echo "$line"
}

job_state() { # JOBID
    rest GET "/jobs/$1" | jq -r .state
}

# Why job JOBID failed: the root exception's deepest cause.
failure_cause() {
    local exceptions
    exceptions=$(rest GET "/jobs/$1/exceptions?maxExceptions=1" 2>/dev/null) || { echo "(no exception recorded)"; return; }
    explain "$(jq -r '.exceptionHistory.entries[0].stacktrace // .["root-exception"] // "no exception recorded"' <<<"$exceptions")"
}

# One line per table: chunks, rows read, rows loaded, from the REST API's metrics: the readers'
# and the load committer's (summed over subtasks), and the chunk planner's (in the JobManager).
# Metric names carry the table with "_" for "." (public.orders: public_orders).
TABLE_METRICS='\.table\..*\.(chunksTotal|chunksFinished|rowsRead|rowsLoaded)$'
print_progress() { # JOBID
    local job=$1 vertices vid names
    vertices=$(rest GET "/jobs/$job" | jq -r '.vertices[].id') || return 0
    for vid in $vertices; do
        names=$(rest GET "/jobs/$job/vertices/$vid/subtasks/metrics" | jq -r --arg re "$TABLE_METRICS" '.[].id | select(test($re))') || continue
        if [ -n "$names" ]; then
            rest GET "/jobs/$job/vertices/$vid/subtasks/metrics?agg=sum&get=$(paste -sd, <<<"$names")" |
                jq -r '.[] | [.id, (.sum | floor | tostring)] | @tsv' || true
        fi
        names=$(rest GET "/jobs/$job/vertices/$vid/jm-operator-metrics" | jq -r --arg re "$TABLE_METRICS" '.[].id | select(test($re))') || continue
        if [ -n "$names" ]; then
            rest GET "/jobs/$job/vertices/$vid/jm-operator-metrics?get=$(paste -sd, <<<"$names")" |
                jq -r '.[] | [.id, .value] | @tsv' || true
        fi
    done | awk -F'\t' '{
            n = split($1, p, "."); metric = p[n]
            table = $1; sub(/^.*\.table\./, "", table); sub(/\.[^.]*$/, "", table)
            v[table, metric] = $2; tables[table] = 1
        } function get(t, m) { return ((t, m) in v) && v[t, m] >= 0 ? v[t, m] : "?" }
        END {
            for (t in tables) printf "  %s: chunks %s/%s, rows read %s, rows loaded %s\n", t,
                get(t, "chunksFinished"), get(t, "chunksTotal"), get(t, "rowsRead"), get(t, "rowsLoaded")
        }' | sort
}

# Waits until JOBID reaches a terminal state; exit 0 for FINISHED, 1 otherwise.
wait_for_job() {
    local job=$1 state last="" next_progress=$((SECONDS + 10))
    while true; do
        state=$(job_state "$job") || elt_die "GET /jobs/$job failed: $(explain "$(rest_error)")"
        if [ "$state" != "$last" ]; then
            if [ "$state" = RESTARTING ]; then
                # The cluster's restart strategy decides how often (flink-conf/config.yaml: with growing delays, no limit).
                elt_step "job $job: RESTARTING after: $(failure_cause "$job")"
            else
                elt_step "job $job: $state"
            fi
            last=$state
        fi
        case "$state" in
        FINISHED) return 0 ;;
        FAILED | CANCELED | SUSPENDED)
            elt_step "job $job ended $state: $(failure_cause "$job")"
            return 1 ;;
        esac
        if [ "$state" = RUNNING ] && ((SECONDS >= next_progress)); then
            print_progress "$job" || true
            next_progress=$((SECONDS + 10))
        fi
        sleep 1
    done
}

# --- stop with savepoint -----------------------------------------------------------------------

if [ -n "$STOP_JOB" ]; then
    request=$(jq -n --arg dir "$SAVEPOINT_DIR" '{drain: false} + (if $dir == "" then {} else {targetDirectory: $dir} end)')
    trigger=$(rest POST "/jobs/$STOP_JOB/stop" -H 'Content-Type: application/json' -d "$request" | jq -r '.["request-id"]') ||
        elt_die "cannot stop job $STOP_JOB: $(explain "$(rest_error)")"
    elt_step "stopping job $STOP_JOB with a savepoint${SAVEPOINT_DIR:+ in $SAVEPOINT_DIR}"
    while true; do
        status=$(rest GET "/jobs/$STOP_JOB/savepoints/$trigger") || elt_die "savepoint status: $(explain "$(rest_error)")"
        [ "$(jq -r .status.id <<<"$status")" = COMPLETED ] && break
        sleep 0.5
    done
    location=$(jq -r '.operation.location // empty' <<<"$status")
    if [ -z "$location" ]; then
        elt_die "the savepoint of job $STOP_JOB failed: $(explain "$(jq -r '.operation["failure-cause"]["stack-trace"] // .operation["failure-cause"]["class"] // "unknown"' <<<"$status")")"
    fi
    wait_for_job "$STOP_JOB" || elt_die "job $STOP_JOB did not finish after its savepoint"
    elt_step "stopped; resume with: scripts/submit.sh --pipeline FILE --from-savepoint $location"
    echo "savepoint: $location"
    exit 0
fi

# --- submit ------------------------------------------------------------------------------------

elt_ensure_jar job/target/elt-cdc-cluster.jar
JAR=$ELT_JAR
sha=$(sha256sum "$JAR" | cut -c1-16)
upload_name="elt-cdc-$sha.jar"
jar_id=$(rest GET /jars | jq -r --arg name "$upload_name" '[.files[] | select(.name == $name) | .id][0] // empty') ||
    elt_die "GET /jars failed: $(explain "$(rest_error)")"
if [ -n "$jar_id" ]; then
    elt_step "the cluster has this jar already ($jar_id)"
else
    elt_step "uploading $JAR ($(du -m "$JAR" | cut -f1) MB) to $REST as $upload_name"
    uploaded=$(rest POST /jars/upload -F "jarfile=@$JAR;filename=$upload_name;type=application/x-java-archive") ||
        elt_die "upload failed: $(explain "$(rest_error)") (the cluster's rest.server.max-content-length, 100 MiB by default, must be above the jar's size; the all-in-one job/target/elt-cdc.jar is too large: upload job/target/elt-cdc-cluster.jar)"
    jar_id=$(jq -r .filename <<<"$uploaded")
    jar_id=${jar_id##*/}
    # Earlier builds' uploads are not needed any more: running jobs keep their own copy.
    for old in $(rest GET /jars | jq -r --arg id "$jar_id" '.files[] | select(.name | test("^elt-cdc-[0-9a-f]{16}\\.jar$")) | select(.id != $id) | .id'); do
        rest DELETE "/jars/$old" >/dev/null && elt_step "removed an earlier upload ($old)" || true
    done
fi

args=(run --pipeline-yaml-base64 "$(base64 -w0 <"$PIPELINE")")
[ "$SNAPSHOT_ONLY" -eq 0 ] || args+=(--snapshot-only)
# One argument per line (none has a newline: base64 -w0), as a JSON array.
# pipeline.classpaths: Flink's list of URLs, separated by ';'.
classpaths=$(IFS=';'; echo "${CLASSPATHS[*]}")
request=$(printf '%s\n' "${args[@]}" | jq -R . | jq -s --arg savepoint "$FROM_SAVEPOINT" --argjson allow "$ALLOW_NON_RESTORED" \
    --arg classpaths "$classpaths" '
    {entryClass: "io.eltcdc.job.Main", programArgsList: .}
    + (if $savepoint == "" then {} else {savepointPath: $savepoint, allowNonRestoredState: $allow} end)
    + (if $classpaths == "" then {} else {flinkConfiguration: {"pipeline.classpaths": $classpaths}} end)')
what="$(basename "$PIPELINE")"
[ "$SNAPSHOT_ONLY" -eq 0 ] || what+=" (snapshot only)"
for url in "${CLASSPATHS[@]}"; do
    elt_step "destination jar on the job's class path: $url (the JobManager and each TaskManager read it there)"
done
elt_step "running $what${FROM_SAVEPOINT:+ from $FROM_SAVEPOINT}"
job=$(rest POST "/jars/$jar_id/run" -H 'Content-Type: application/json' -d "$request" | jq -r .jobid) ||
    elt_die "the cluster refused the pipeline: $(explain "$(rest_error)" | sed "s|--pipeline-yaml-base64:|$PIPELINE:|")"
elt_step "submitted; web UI: $REST/#/job/running/$job/overview"
echo "job: $job"
if [ "$WAIT" -eq 1 ]; then
    wait_for_job "$job" || exit 1
fi
