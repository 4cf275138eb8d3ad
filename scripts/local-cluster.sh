#!/usr/bin/env bash
# A real standalone Flink 1.20.1 session cluster on this machine: one JobManager (REST API and web
# UI on 127.0.0.1:8081) and one TaskManager, each its own java process, started the way Flink's own
# bin/jobmanager.sh and bin/taskmanager.sh start them, but from jars that Maven resolves (no Flink
# distribution is needed).
#
#   scripts/local-cluster.sh start [-D key=value ...]   start both (does nothing when they run)
#   scripts/local-cluster.sh stop                       stop both and wait until they are gone
#   scripts/local-cluster.sh status                     what runs; exit 0 when both run, 3 when none
#
# - Jars: scripts/lib/flink-cluster-pom.xml, resolved once into $ELT_FLINK_HOME/lib (Flink runtime,
#   clients, web UI/REST uploads, connector-files, RocksDB, log4j 2) and $ELT_FLINK_HOME/plugins
#   (s3-fs-hadoop, metrics-prometheus), offline from ~/.m2 when it has them, else from Maven Central.
# - Configuration: flink-conf/config.yaml copied to $ELT_CLUSTER_DIR/conf/config.yaml (no legacy
#   flink-conf.yaml beside it), plus local settings passed as dynamic properties (-D, as
#   `jobmanager.sh start -D ...` does): addresses on localhost, REST port, a small memory budget,
#   checkpoint and savepoint folders under $ELT_CLUSTER_DIR. `start -D key=value` adds or overrides
#   any setting, e.g. -D s3.endpoint=http://127.0.0.1:9000.
# - JVM: memory flags from Flink's BashJavaUtils (GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS),
#   env.java.opts.all (+ .jobmanager / .taskmanager) from the configuration: the Java 17
#   --add-opens/--add-exports list of Flink's default config.
# - The processes inherit this shell's environment: `${env:NAME}` in a pipeline submitted with
#   scripts/submit.sh is resolved in the JobManager (e.g. start with PGPASSWORD set).
#
# Environment (defaults in brackets):
#   ELT_CLUSTER_DIR        work folder: conf/ log/ run/ checkpoints/ savepoints/ web-upload/ tmp/ [/tmp/elt-cdc-cluster]
#   ELT_FLINK_HOME         where the jars are resolved to [$ELT_CLUSTER_DIR/flink]
#   ELT_FLINK_CONF         the config.yaml to use [flink-conf/config.yaml]
#   ELT_CLUSTER_REST_PORT  REST API and web UI [8081];  ELT_CLUSTER_RPC_PORT  JobManager RPC [6123]
#   ELT_CLUSTER_JM_MEMORY  JobManager process size [1280m];  ELT_CLUSTER_TM_MEMORY  TaskManager process size [2g]
#   ELT_CLUSTER_SLOTS      TaskManager slots [2];  ELT_CLUSTER_TIMEOUT  seconds to wait for start/stop [120]
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
DIR=$(realpath -m "${ELT_CLUSTER_DIR:-/tmp/elt-cdc-cluster}")
FLINK_HOME=$(realpath -m "${ELT_FLINK_HOME:-$DIR/flink}")
if [ -n "${ELT_FLINK_CONF:-}" ]; then ELT_FLINK_CONF=$(realpath -m "$ELT_FLINK_CONF"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ELT_LOG_TAG="local-cluster"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

FLINK_CONF=${ELT_FLINK_CONF:-$ROOT/flink-conf/config.yaml}
POM="$ROOT/scripts/lib/flink-cluster-pom.xml"
REST_PORT=${ELT_CLUSTER_REST_PORT:-8081}
RPC_PORT=${ELT_CLUSTER_RPC_PORT:-6123}
JM_MEMORY=${ELT_CLUSTER_JM_MEMORY:-1280m}
TM_MEMORY=${ELT_CLUSTER_TM_MEMORY:-2g}
SLOTS=${ELT_CLUSTER_SLOTS:-2}
TIMEOUT=${ELT_CLUSTER_TIMEOUT:-120}
REST_URL="http://127.0.0.1:$REST_PORT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
ROLES=(jobmanager taskmanager)

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit "${1:-2}"
}

# --- processes -----------------------------------------------------------------------------

pid_file() { echo "$DIR/run/$1.pid"; }

# Whether process PID exists and has not ended (a zombie has ended: it only waits to be reaped).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ -d /proc/self ] || return 0 # no procfs: kill -0 is all there is
    [ -r "/proc/$1/stat" ] || return 1
    [ "$(sed 's/^.*) \([A-Z]\).*$/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# The pid of ROLE when that process runs and is ours: its command line names this cluster dir (or
# is empty: a process that is exiting).
running_pid() {
    local file pid cmdline
    file=$(pid_file "$1")
    [ -f "$file" ] || return 1
    pid=$(cat "$file")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    if [ -r "/proc/$pid/cmdline" ]; then
        cmdline=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null || true)
        if [ -n "$cmdline" ] && ! grep -qxF -- "-Delt-cdc.cluster.dir=$DIR" <<<"$cmdline"; then
            return 1 # the pid was reused by another process
        fi
    fi
    echo "$pid"
}

any_alive() { # PID...
    local pid
    for pid in "$@"; do
        if alive "$pid"; then return 0; fi
    done
    return 1
}

none_running() {
    local role
    for role in "${ROLES[@]}"; do
        if running_pid "$role" >/dev/null; then return 1; fi
    done
}

rest_get() { # PATH: the JSON body, or fails
    curl -fsS --max-time 5 "$REST_URL$1" 2>/dev/null
}

json_number() { # FIELD JSON
    sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2"
}

port_taken() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- jars ----------------------------------------------------------------------------------

# Resolves the cluster's jars into $FLINK_HOME once per version of the pom.
resolve_jars() {
    local want have
    want=$(sha256sum "$POM" | cut -d' ' -f1)
    have=$(cat "$FLINK_HOME/.resolved" 2>/dev/null || true)
    if [ "$want" = "$have" ] && [ -f "$FLINK_HOME/lib/flink-runtime-1.20.1.jar" ]; then
        return
    fi
    command -v mvn >/dev/null 2>&1 || elt_die "mvn not found: Maven resolves the Flink jars"
    rm -rf "$FLINK_HOME/lib" "$FLINK_HOME/plugins" "$FLINK_HOME/.resolved"
    mkdir -p "$FLINK_HOME"
    local log="$FLINK_HOME/resolve.log"
    elt_step "resolving the Flink 1.20.1 jars into $FLINK_HOME (Maven, log: $log)"
    if ! mvn -B -o -f "$POM" package -Dflink.home="$FLINK_HOME" >"$log" 2>&1; then
        elt_step "not everything is in ~/.m2: resolving from the remote repositories"
        mvn -B -f "$POM" package -Dflink.home="$FLINK_HOME" >>"$log" 2>&1 ||
            { tail -n 20 "$log" >&2; elt_die "Maven could not resolve the Flink jars (log: $log)"; }
    fi
    echo "$want" >"$FLINK_HOME/.resolved"
}

# --- configuration -------------------------------------------------------------------------

# Local settings for this machine, passed to every process (and to BashJavaUtils) as -D key=value:
# everything on localhost, a small memory budget (the heap state backend needs next to no managed
# memory), checkpoints, savepoints and uploaded jars in the work folder; then the caller's -D.
DYNAMIC=()
set_dynamic() {
    local kv
    DYNAMIC=()
    for kv in \
        "jobmanager.rpc.address=localhost" "jobmanager.bind-host=localhost" "jobmanager.rpc.port=$RPC_PORT" \
        "taskmanager.host=localhost" "taskmanager.bind-host=localhost" \
        "rest.address=127.0.0.1" "rest.bind-address=127.0.0.1" "rest.port=$REST_PORT" \
        "jobmanager.memory.process.size=$JM_MEMORY" "taskmanager.memory.process.size=$TM_MEMORY" \
        "taskmanager.numberOfTaskSlots=$SLOTS" \
        "taskmanager.memory.managed.fraction=0.1" \
        "execution.checkpointing.dir=file://$DIR/checkpoints" \
        "execution.checkpointing.savepoint-dir=file://$DIR/savepoints" \
        "web.upload.dir=$DIR/web-upload" "io.tmp.dirs=$DIR/tmp" \
        "$@"; do
        [[ "$kv" == *=* ]] || elt_die "-D $kv: expected key=value"
        DYNAMIC+=(-D "$kv")
    done
}

prepare_conf() {
    [ -f "$FLINK_CONF" ] || elt_die "no $FLINK_CONF"
    mkdir -p "$DIR/conf" "$DIR/log" "$DIR/run" "$DIR/checkpoints" "$DIR/savepoints" "$DIR/web-upload" "$DIR/tmp"
    # Only config.yaml: a legacy flink-conf.yaml beside it would be read instead.
    rm -f "$DIR/conf/flink-conf.yaml"
    cp "$FLINK_CONF" "$DIR/conf/config.yaml"
    cp "$ROOT/scripts/lib/flink-log4j.properties" "$DIR/conf/log4j.properties"
    printf '%s\n' "${DYNAMIC[@]}" | paste -d' ' - - >"$DIR/conf/dynamic-properties"
}

bash_java_utils() { # COMMAND [ARGS...]: prints the result lines (without their prefix), or dies
    local out
    out=$("$JAVA" -cp "$FLINK_HOME/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
        --configDir "$DIR/conf" "${@:2}" "${DYNAMIC[@]}" 2>&1) || { echo "$out" | tail -n 20 >&2; elt_die "BashJavaUtils $1 failed"; }
    sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$out"
}

config_value() { # KEY: the effective value (config.yaml and -D), flattened, or empty
    sed -n "s/^$(sed 's/\./\\./g' <<<"$1"): //p" <<<"$FLAT_CONF" | tail -n 1
}

# --- start / stop / status -----------------------------------------------------------------

launch() { # ROLE CLASS JVM_MEMORY_FLAGS DYNAMIC_MEMORY_PARAMS
    local role=$1 class=$2 log="$DIR/log/$1.log" pid
    local -a jvm=() extra=() java_opts=()
    read -r -a jvm <<<"$3"
    read -r -a extra <<<"$4"
    read -r -a java_opts <<<"$(config_value env.java.opts.all) $(config_value "env.java.opts.$role")"
    : >"$DIR/log/$role.out"
    # Flink finds its plugins (one folder each) through FLINK_PLUGINS_DIR, as in a distribution.
    FLINK_PLUGINS_DIR="$FLINK_HOME/plugins" FLINK_CONF_DIR="$DIR/conf" nohup "$JAVA" "${jvm[@]}" -XX:+IgnoreUnrecognizedVMOptions "${java_opts[@]}" \
        "-Delt-cdc.cluster.dir=$DIR" "-Dlog.file=$log" \
        "-Dlog4j.configuration=file:$DIR/conf/log4j.properties" "-Dlog4j.configurationFile=file:$DIR/conf/log4j.properties" \
        -classpath "$FLINK_HOME/lib/*" "$class" --configDir "$DIR/conf" "${extra[@]}" "${DYNAMIC[@]}" \
        >"$DIR/log/$role.out" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$(pid_file "$role")"
    elt_step "$role started, pid $pid (log: $log)"
}

cluster_ready() {
    local overview
    overview=$(rest_get /overview) || return 1
    [ "$(json_number taskmanagers "$overview")" -ge 1 ] 2>/dev/null
}

start() {
    local role jm tm
    set_dynamic "$@"
    if jm=$(running_pid jobmanager) && tm=$(running_pid taskmanager); then
        elt_step "already running: jobmanager pid $jm, taskmanager pid $tm; web UI and REST API: $REST_URL"
        if [ $# -gt 0 ]; then
            elt_step "note: the -D settings apply at start only; it runs with $DIR/conf/dynamic-properties (stop it to change them)"
        fi
        return 0
    fi
    if ! none_running; then
        status >&2 || true
        elt_die "the cluster in $DIR runs only in part: run '$0 stop' first"
    fi
    command -v "$JAVA" >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
    command -v curl >/dev/null 2>&1 || elt_die "curl not found"
    port_taken "$REST_PORT" && elt_die "port $REST_PORT is taken (another Flink cluster?); set ELT_CLUSTER_REST_PORT"
    port_taken "$RPC_PORT" && elt_die "port $RPC_PORT is taken (another Flink cluster?); set ELT_CLUSTER_RPC_PORT"

    resolve_jars
    prepare_conf
    FLAT_CONF=$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION -flatten)
    local -a jm_params tm_params
    mapfile -t jm_params < <(bash_java_utils GET_JM_RESOURCE_PARAMS | tail -n 2)
    mapfile -t tm_params < <(bash_java_utils GET_TM_RESOURCE_PARAMS | tail -n 2)
    [ "${#jm_params[@]}" -eq 2 ] && [ "${#tm_params[@]}" -eq 2 ] || elt_die "BashJavaUtils gave no memory settings"

    elt_step "starting a Flink 1.20.1 session cluster in $DIR (JobManager $JM_MEMORY, TaskManager $TM_MEMORY with $SLOTS slots)"
    launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${jm_params[0]}" "${jm_params[1]}"
    launch taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${tm_params[0]}" "${tm_params[1]}"

    local deadline=$((SECONDS + TIMEOUT))
    until cluster_ready; do
        for role in "${ROLES[@]}"; do
            if ! running_pid "$role" >/dev/null; then
                tail -n 30 "$DIR/log/$role.out" "$DIR/log/$role.log" >&2 2>/dev/null || true
                stop >/dev/null 2>&1 || true
                elt_die "the $role exited while starting (logs above: $DIR/log/$role.{out,log})"
            fi
        done
        if ((SECONDS >= deadline)); then
            tail -n 30 "$DIR/log/jobmanager.log" "$DIR/log/taskmanager.log" >&2 2>/dev/null || true
            stop >/dev/null 2>&1 || true
            elt_die "no TaskManager registered at $REST_URL within ${TIMEOUT}s (logs: $DIR/log)"
        fi
        sleep 0.5
    done
    elt_step "cluster ready: web UI and REST API $REST_URL; stop it with scripts/local-cluster.sh stop"
}

stop() {
    local role pid
    local -a pids=()
    # TaskManager first, as Flink's stop-cluster.sh does.
    for role in taskmanager jobmanager; do
        if pid=$(running_pid "$role"); then
            elt_step "stopping $role (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    if [ "${#pids[@]}" -eq 0 ]; then
        elt_step "not running"
        rm -f "$(pid_file jobmanager)" "$(pid_file taskmanager)"
        return 0
    fi
    local deadline=$((SECONDS + TIMEOUT / 2)) killed=0
    until ! any_alive "${pids[@]}"; do
        if ((SECONDS >= deadline)) && [ "$killed" -eq 0 ]; then
            elt_step "still running after $((TIMEOUT / 2)) s: kill -KILL"
            for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
            killed=1
            deadline=$((SECONDS + 30))
        elif ((SECONDS >= deadline)); then
            elt_die "processes ${pids[*]} do not exit"
        fi
        sleep 0.2
    done
    rm -f "$(pid_file jobmanager)" "$(pid_file taskmanager)"
    elt_step "stopped"
}

status() {
    local role pid running=0 overview
    for role in "${ROLES[@]}"; do
        if pid=$(running_pid "$role"); then
            echo "$role: running, pid $pid (log: $DIR/log/$role.log)"
            running=$((running + 1))
        else
            echo "$role: not running"
        fi
    done
    if overview=$(rest_get /overview); then
        echo "REST API and web UI: $REST_URL: $(json_number taskmanagers "$overview") TaskManager(s)," \
            "slots $(json_number slots-available "$overview") free of $(json_number slots-total "$overview")," \
            "jobs running $(json_number jobs-running "$overview"), finished $(json_number jobs-finished "$overview")," \
            "cancelled $(json_number jobs-cancelled "$overview"), failed $(json_number jobs-failed "$overview")"
    elif [ "$running" -gt 0 ]; then
        echo "REST API: $REST_URL does not answer (yet)"
    fi
    if [ "$running" -eq "${#ROLES[@]}" ]; then return 0; fi
    if [ "$running" -eq 0 ]; then return 3; fi
    return 1
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
start)
    props=()
    while [ $# -gt 0 ]; do
        case "$1" in
        -D) [ $# -ge 2 ] || elt_die "-D needs key=value"; props+=("$2"); shift 2 ;;
        -D*) props+=("${1#-D}"); shift ;;
        *) elt_die "start: unknown argument '$1' (expected -D key=value)" ;;
        esac
    done
    start "${props[@]}"
    ;;
stop | status)
    [ $# -eq 0 ] || elt_die "$command takes no arguments"
    "$command"
    ;;
-h | --help | help) usage 0 ;;
*) usage 2 ;;
esac
