#!/usr/bin/env bash
# The project's tests: makes sure the database servers they need run, then `mvn -B verify`.
#
#   scripts/test.sh [MAVEN ARGS...]     e.g. scripts/test.sh -pl destinations/postgres -am
#
# Servers (see scripts/lib/services.sh): a local PostgreSQL on 127.0.0.1:5432 (wal_level=logical)
# and a local MariaDB on 127.0.0.1:3306 (binlog on) are installed, configured and started when
# missing, except when ELT_TEST_PG_URL / ELT_TEST_MYSQL_URL name servers to use or a Docker engine
# runs (the tests then start their own with Testcontainers). Needs root or sudo for that part.
# Exits with Maven's exit code.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELT_LOG_TAG="test.sh"
# shellcheck source=scripts/lib/services.sh
source scripts/lib/services.sh

command -v java >/dev/null 2>&1 || elt_die "java not found: install a JDK 17"
command -v mvn >/dev/null 2>&1 || elt_die "mvn not found: install Maven 3.8+"
elt_step "$(java -version 2>&1 | head -n 1); $(mvn -B -v 2>/dev/null | head -n 1 | sed -e "s/\x1b\[[0-9;]*m//g" -e "s/ (.*//")"

elt_provision_test_services

mvn_cmd=(mvn -B --no-transfer-progress -Dsurefire.rerunFailingTestsCount=0 verify "$@")
elt_step "running: ${mvn_cmd[*]}"
set +e
"${mvn_cmd[@]}"
status=$?
set -e
elt_step "mvn exited with $status"
exit "$status"
