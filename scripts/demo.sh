#!/usr/bin/env bash
# The demo: copies a small shop database from PostgreSQL into an embedded DuckDB file.
#
#   scripts/demo.sh
#
# 1. builds job/target/elt-cdc.jar when missing or older than the sources (Maven);
# 2. makes sure a local PostgreSQL runs on 127.0.0.1:5432 (installs and configures it on Debian,
#    see scripts/lib/services.sh; needs root or sudo for that);
# 3. creates database elt_demo (once): customers 50k rows, products 5k, orders 1M,
#    order_items ~2M (composite key), generated in SQL (scripts/lib/demo-data.sql);
# 4. writes a pipeline to $ELT_DEMO_DIR (default /tmp/elt-cdc-demo) and runs its initial sync
#    into $ELT_DEMO_DIR/demo.duckdb (`run --snapshot-only`), from scratch every time;
# 5. compares row counts of source and destination and prints how to query the result.
#
# ELT_DEMO_RESET=1 generates the demo data again. ELT_JAR=path uses that jar as it is.
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
WORK=$(realpath -m "${ELT_DEMO_DIR:-/tmp/elt-cdc-demo}")
if [ -n "${ELT_JAR:-}" ]; then ELT_JAR=$(realpath -m "$ELT_JAR"); fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ELT_LOG_TAG="demo.sh"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

DB=elt_demo
TABLES=(customers products orders order_items)
MARKER='elt-cdc demo data v1'

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
elt_ensure_jar
JAR=$(cd "$(dirname "$ELT_JAR")" && pwd)/$(basename "$ELT_JAR")
elt_ensure_postgres

# --- source data ---------------------------------------------------------------------------
if [ -z "$(elt_psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'")" ]; then
    elt_step "creating database $DB"
    elt_psql -d postgres -c "CREATE DATABASE $DB"
fi
marker=$(elt_psql -d "$DB" -Atc "select coalesce(obj_description(to_regclass('public.order_items'), 'pg_class'), '')")
if [ "${ELT_DEMO_RESET:-0}" = 1 ] || [ "$marker" != "$MARKER" ]; then
    elt_step "generating the demo data in $DB (customers, products, orders, order_items; takes about half a minute)"
    start=$(date +%s)
    elt_psql -d "$DB" --single-transaction -f scripts/lib/demo-data.sql >/dev/null
    elt_psql -d "$DB" -c 'VACUUM (ANALYZE)'
    elt_step "generated in $(($(date +%s) - start)) s"
else
    elt_step "database $DB has the demo data already (ELT_DEMO_RESET=1 generates it again)"
fi

# --- pipeline ------------------------------------------------------------------------------
mkdir -p "$WORK"
DUCKDB="$WORK/demo.duckdb"
PIPELINE="$WORK/pipeline.yaml"
elt_step "writing $PIPELINE; removing the previous run's state, staging and $DUCKDB"
rm -rf "$WORK/state" "$WORK/staging" "$DUCKDB" "$DUCKDB.wal"
cat >"$PIPELINE" <<YAML
# Written by scripts/demo.sh: the demo database into an embedded DuckDB file.
pipeline:
  name: elt-demo
  parallelism: 2
  checkpoint-interval: 5s
  state-dir: "file://$WORK/state"
source:
  type: postgres
  host: $ELT_PG_HOST
  port: $ELT_PG_PORT
  database: $DB
  username: postgres
  password: "\${env:PGPASSWORD}"    # read from the environment (empty here: the server trusts localhost)
  tables: [public.customers, public.products, public.orders, public.order_items]
  chunk-size: 50000
staging:
  path: "file://$WORK/staging"
  roll-size: 64mb
  roll-interval: 60s
  inactivity-interval: 15s
destination:
  type: duckdb
  path: "$DUCKDB"
YAML

# --- run -----------------------------------------------------------------------------------
export PGPASSWORD="${PGPASSWORD:-}"
elt_step "running: java -jar $ELT_JAR run --pipeline $PIPELINE --snapshot-only (log: $WORK/run.log)"
start=$(date +%s)
set +e
java -jar "$JAR" run --pipeline "$PIPELINE" --snapshot-only 2>&1 | tee "$WORK/run.log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || elt_die "the pipeline exited with $status (log: $WORK/run.log)"
elt_step "initial sync done in $(($(date +%s) - start)) s"

# --- compare -------------------------------------------------------------------------------
duck_query() {
    java -cp "$JAR" "$ROOT/scripts/lib/DuckQuery.java" "$DUCKDB" "$1"
}
union=""
for t in "${TABLES[@]}"; do
    union+="${union:+ UNION ALL }SELECT '$t', count(*) FROM public.$t"
done
elt_step "comparing row counts (PostgreSQL $DB vs DuckDB $DUCKDB)"
declare -A source_rows=() dest_rows=()
while IFS='|' read -r t n; do source_rows[$t]=$n; done < <(elt_psql -d "$DB" -AtF'|' -c "$union")
while IFS=$'\t' read -r t n; do dest_rows[$t]=$n; done < <(duck_query "$union")
mismatch=0
printf '  %-12s %12s %12s\n' table postgres duckdb
for t in "${TABLES[@]}"; do
    printf '  %-12s %12s %12s%s\n' "$t" "${source_rows[$t]:-?}" "${dest_rows[$t]:-?}" \
        "$([ "${source_rows[$t]:-x}" = "${dest_rows[$t]:-y}" ] || echo '   <- differs')"
    [ "${source_rows[$t]:-x}" = "${dest_rows[$t]:-y}" ] || mismatch=1
done
[ "$mismatch" -eq 0 ] || elt_die "the destination's row counts differ from the source's (log: $WORK/run.log)"

cat <<EOF

Done: $DB (PostgreSQL) is copied to $DUCKDB.
Query it with the DuckDB driver inside the jar (no DuckDB CLI needed; tab-separated rows, --header for names):

  java -cp $JAR $ROOT/scripts/lib/DuckQuery.java --header $DUCKDB \\
    "SELECT status, count(*) AS orders, sum(total) AS revenue FROM public.orders GROUP BY status ORDER BY orders DESC"

Every table has the source's columns plus _elt_op, _elt_position and _elt_synced_at; the loads are in elt_cdc.loads.
Run again: scripts/demo.sh (starts over). The pipeline file: $PIPELINE
EOF
