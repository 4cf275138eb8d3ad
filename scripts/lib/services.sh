# shellcheck shell=bash
# Local database servers for the tests, the demo and the benchmark; sourced by scripts/test.sh,
# scripts/demo.sh and scripts/bench-snapshot.sh.
#
#   elt_ensure_postgres      PostgreSQL on 127.0.0.1:5432, user postgres without password over TCP,
#                            wal_level=logical, max_replication_slots>=10, max_wal_senders>=10
#   elt_ensure_mariadb       MariaDB on 127.0.0.1:3306, root with an empty password, database test,
#                            binlog on (log_bin, binlog_format=ROW, binlog_row_image=FULL, server_id=1)
#   elt_provision_test_services
#                            both, each with TLS (scripts/lib/tls.sh: a test CA and certificates,
#                            users admitted only over TLS), unless ELT_TEST_PG_URL / ELT_TEST_MYSQL_URL name a server or a
#                            Docker engine runs (the tests then use Testcontainers)
#   elt_ensure_jar [JAR]     JAR (default job/target/elt-cdc.jar, the all-in-one jar), built with
#                            Maven when missing or stale; ELT_JAR set: that jar as it is
#
# Debian (12) only: packages come from apt-get, clusters are managed with pg_ctlcluster and
# mariadbd is started with start-stop-daemon (no systemd is assumed). Every function is idempotent:
# run again, it changes nothing and restarts nothing. Privileged steps use sudo when not root.

ELT_PG_HOST=127.0.0.1
ELT_PG_PORT=5432
ELT_MYSQL_HOST=127.0.0.1
ELT_MYSQL_PORT=3306
ELT_MARIADBD=/usr/sbin/mariadbd
ELT_MARIADB_CNF=/etc/mysql/mariadb.conf.d/90-elt-cdc-binlog.cnf
ELT_SERVICE_TIMEOUT=${ELT_SERVICE_TIMEOUT:-90}
ELT_APT_LOG=${ELT_APT_LOG:-/tmp/elt-cdc-apt.log}

# One line per step.
elt_step() {
    printf '[%s] %s\n' "${ELT_LOG_TAG:-elt-cdc}" "$*"
}

elt_die() {
    printf '[%s] error: %s\n' "${ELT_LOG_TAG:-elt-cdc}" "$*" >&2
    exit 1
}

# Runs a command as root: directly when root, else through sudo.
elt_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        elt_die "'$*' needs root, and sudo is not installed"
    fi
}

# Whether a Docker engine answers (the client alone is not enough).
elt_docker_available() {
    command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}

# elt_wait_until SECONDS COMMAND...: runs COMMAND every half second until it succeeds; fails at the deadline.
elt_wait_until() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep 0.5
    done
}

ELT_APT_UPDATED=0
elt_apt_install() {
    command -v apt-get >/dev/null 2>&1 || elt_die "cannot install $*: no apt-get (this script provisions Debian only)"
    if [ "$ELT_APT_UPDATED" -eq 0 ]; then
        elt_step "apt-get update (log: $ELT_APT_LOG)"
        elt_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$ELT_APT_LOG" 2>&1 ||
            { tail -n 20 "$ELT_APT_LOG" >&2; elt_die "apt-get update failed"; }
        ELT_APT_UPDATED=1
    fi
    elt_step "apt-get install -y $* (log: $ELT_APT_LOG)"
    elt_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$ELT_APT_LOG" 2>&1 ||
        { tail -n 20 "$ELT_APT_LOG" >&2; elt_die "apt-get install $* failed"; }
}

# Replaces FILE's content with standard input, keeping its owner and mode when it exists.
elt_write_root_file() {
    elt_root mkdir -p "$(dirname "$1")"
    elt_root tee "$1" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# psql as postgres over TCP, never prompting for a password.
elt_psql() {
    PGCONNECT_TIMEOUT=5 psql -X -q -w -v ON_ERROR_STOP=1 -h "$ELT_PG_HOST" -p "$ELT_PG_PORT" -U postgres "$@"
}

elt_pg_connects() {
    elt_psql -d postgres -Atc 'select 1' >/dev/null 2>&1
}

elt_pg_listening() {
    pg_isready -q -h "$ELT_PG_HOST" -p "$ELT_PG_PORT" -t 2
}

# "VERSION NAME STATUS" of the pg_ctlcluster cluster on port 5432, or nothing.
elt_pg_cluster() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters --no-header 2>/dev/null | awk -v port="$ELT_PG_PORT" '$3 == port { print $1, $2, $4; exit }'
}

elt_pg_ctl() { # VERSION NAME ACTION
    elt_root pg_ctlcluster --skip-systemctl-redirect "$1" "$2" "$3"
}

elt_pg_wait_ready() {
    elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_pg_listening ||
        elt_die "PostgreSQL does not accept connections on $ELT_PG_HOST:$ELT_PG_PORT after ${ELT_SERVICE_TIMEOUT}s (see /var/log/postgresql/)"
}

# Installs PostgreSQL when missing and starts the cluster on port 5432; sets ELT_PG_VERSION, ELT_PG_NAME.
elt_pg_install_and_start() {
    local cluster version status port
    cluster=$(elt_pg_cluster)
    if [ -z "$cluster" ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        elt_apt_install postgresql
        cluster=$(elt_pg_cluster)
    fi
    if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
        elt_apt_install postgresql-client
    fi
    if [ -z "$cluster" ]; then
        version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
        [ -n "$version" ] || elt_die "PostgreSQL is installed but no server binaries are under /usr/lib/postgresql"
        if [ -d "/etc/postgresql/$version/main" ]; then
            # Created on another port (5432 was taken when the package was installed).
            read -r _ _ port status < <(pg_lsclusters --no-header 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')
            if [[ "$status" == online* ]]; then
                elt_die "cluster $version/main runs on port $port, not $ELT_PG_PORT; set port = $ELT_PG_PORT in /etc/postgresql/$version/main/postgresql.conf and restart it, or set ELT_TEST_PG_URL"
            fi
            elt_step "moving stopped PostgreSQL cluster $version/main from port $port to $ELT_PG_PORT"
            elt_root pg_conftool "$version" main set port "$ELT_PG_PORT" || elt_die "pg_conftool $version main set port failed"
        else
            elt_step "creating PostgreSQL cluster $version/main on port $ELT_PG_PORT"
            elt_root pg_createcluster --port "$ELT_PG_PORT" "$version" main >>"$ELT_APT_LOG" 2>&1 ||
                elt_die "pg_createcluster $version main failed (log: $ELT_APT_LOG)"
        fi
        cluster=$(elt_pg_cluster)
    fi
    read -r ELT_PG_VERSION ELT_PG_NAME status <<<"$cluster"
    if [[ "$status" != online* ]]; then
        elt_step "starting PostgreSQL $ELT_PG_VERSION/$ELT_PG_NAME (pg_ctlcluster)"
        elt_pg_ctl "$ELT_PG_VERSION" "$ELT_PG_NAME" start || elt_die "pg_ctlcluster $ELT_PG_VERSION $ELT_PG_NAME start failed"
    fi
}

# Puts trust lines for user postgres from localhost first in the cluster's pg_hba.conf, then reloads.
elt_pg_trust_localhost() { # VERSION NAME
    local hba="/etc/postgresql/$1/$2/pg_hba.conf"
    [ -f "$hba" ] || elt_die "no $hba: cannot allow passwordless connections for user postgres"
    if grep -q '^# elt-cdc:' "$hba"; then
        elt_die "user postgres cannot connect to $ELT_PG_HOST:$ELT_PG_PORT although $hba trusts it; check the server"
    fi
    elt_step "trusting user postgres over TCP from localhost (first lines of $hba), reload"
    {
        printf '%s\n' '# elt-cdc: tests and demo connect as postgres over TCP from localhost without a password' \
            'host    all    postgres    127.0.0.1/32    trust' \
            'host    all    postgres    ::1/128         trust'
        elt_root cat "$hba"
    } >"${TMPDIR:-/tmp}/elt-cdc-pg_hba.conf"
    elt_write_root_file "$hba" <"${TMPDIR:-/tmp}/elt-cdc-pg_hba.conf"
    rm -f "${TMPDIR:-/tmp}/elt-cdc-pg_hba.conf"
    elt_pg_ctl "$1" "$2" reload || elt_die "pg_ctlcluster $1 $2 reload failed"
}

elt_pg_setting() {
    elt_psql -d postgres -Atc "select setting from pg_settings where name = '$1'"
}

elt_ensure_postgres() {
    local cluster version name wal slots senders
    local -a changes=()
    ELT_PG_VERSION=""
    ELT_PG_NAME=""
    if elt_pg_connects; then
        elt_step "PostgreSQL accepts user postgres on $ELT_PG_HOST:$ELT_PG_PORT"
    else
        elt_step "PostgreSQL does not answer on $ELT_PG_HOST:$ELT_PG_PORT: install/start it"
        elt_pg_install_and_start
        elt_pg_wait_ready
        if ! elt_pg_connects; then
            elt_pg_trust_localhost "$ELT_PG_VERSION" "$ELT_PG_NAME"
            elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_pg_connects ||
                elt_die "user postgres still cannot connect to $ELT_PG_HOST:$ELT_PG_PORT without a password"
        fi
    fi

    wal=$(elt_pg_setting wal_level)
    slots=$(elt_pg_setting max_replication_slots)
    senders=$(elt_pg_setting max_wal_senders)
    [ "$wal" = logical ] || changes+=("ALTER SYSTEM SET wal_level = 'logical'")
    [ "${slots:-0}" -ge 10 ] || changes+=("ALTER SYSTEM SET max_replication_slots = 10")
    [ "${senders:-0}" -ge 10 ] || changes+=("ALTER SYSTEM SET max_wal_senders = 10")
    if [ "${#changes[@]}" -gt 0 ]; then
        cluster=$(elt_pg_cluster)
        [ -n "$cluster" ] || elt_die "PostgreSQL on port $ELT_PG_PORT has wal_level=$wal, max_replication_slots=$slots, max_wal_senders=$senders and is not a pg_ctlcluster cluster: configure and restart it yourself, or set ELT_TEST_PG_URL"
        read -r version name _ <<<"$cluster"
        local args=() change
        for change in "${changes[@]}"; do
            args+=(-c "$change")
        done
        elt_step "setting wal_level=logical, max_replication_slots>=10, max_wal_senders>=10 (ALTER SYSTEM; were $wal, $slots, $senders)"
        elt_psql -d postgres "${args[@]}" || elt_die "ALTER SYSTEM failed"
        elt_step "restarting PostgreSQL $version/$name to apply them"
        elt_pg_ctl "$version" "$name" restart || elt_die "pg_ctlcluster $version $name restart failed"
        elt_pg_wait_ready
        elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_pg_connects || elt_die "PostgreSQL did not come back after the restart"
        wal=$(elt_pg_setting wal_level)
        slots=$(elt_pg_setting max_replication_slots)
        senders=$(elt_pg_setting max_wal_senders)
        if ! { [ "$wal" = logical ] && [ "$slots" -ge 10 ] && [ "$senders" -ge 10 ]; }; then
            elt_die "after the restart: wal_level=$wal, max_replication_slots=$slots, max_wal_senders=$senders (another setting overrides ALTER SYSTEM?)"
        fi
    fi
    elt_step "PostgreSQL ready: $ELT_PG_HOST:$ELT_PG_PORT, $(elt_psql -d postgres -Atc 'show server_version' | cut -d' ' -f1), wal_level=$wal, max_replication_slots=$slots, max_wal_senders=$senders"
}

# ---------------------------------------------------------------------------------------------
# MariaDB

elt_mysql_client() {
    if command -v mariadb >/dev/null 2>&1; then echo mariadb; else echo mysql; fi
}

elt_mysql_admin() {
    if command -v mariadb-admin >/dev/null 2>&1; then echo mariadb-admin; else echo mysqladmin; fi
}

# The client as root over TCP with an empty password; no option files (a ~/.my.cnf password would interfere).
elt_mysql() {
    "$(elt_mysql_client)" --no-defaults --protocol=tcp -h "$ELT_MYSQL_HOST" -P "$ELT_MYSQL_PORT" -uroot \
        --connect-timeout=5 "$@"
}

elt_mysql_connects() {
    elt_mysql -Nse 'select 1' >/dev/null 2>&1
}

# True while the server answers at all (also when it refuses the login).
elt_mysql_alive() {
    "$(elt_mysql_admin)" --no-defaults --protocol=tcp -h "$ELT_MYSQL_HOST" -P "$ELT_MYSQL_PORT" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1
}

# The pid file of the server on $ELT_MYSQL_PORT, as its options name it (Debian: /run/mysqld/mysqld.pid;
# mariadbd's default: <datadir>/<host>.pid).
elt_mariadb_pidfile() {
    local pidfile datadir
    pidfile=$(elt_mariadb_option pid_file)
    if [ -z "$pidfile" ]; then
        datadir=$(elt_mariadb_option datadir)
        pidfile="${datadir:-/var/lib/mysql}/$(hostname).pid"
    fi
    printf '%s\n' "$pidfile"
}

# Whether this server's mariadbd process exists (also while it starts or shuts down). By its pid file,
# not by the executable: another mariadbd on the machine (a test's own, on another port) is not it.
elt_mariadbd_process() {
    elt_root start-stop-daemon --status --pidfile "$(elt_mariadb_pidfile)" --exec "$ELT_MARIADBD"
}

elt_mariadbd_stopped() {
    ! elt_mariadbd_process
}

# The server's effective [mysqld] options, as mariadbd will read them.
elt_mariadb_options() {
    my_print_defaults --mysqld 2>/dev/null
}

elt_mariadb_option() { # NAME (with underscores): prints the last value given for it ("ON" for a bare flag)
    elt_mariadb_options | awk -v want="$1" '
        { s = $0; sub(/^--/, "", s); i = index(s, "=")
          if (i) { n = substr(s, 1, i - 1); v = substr(s, i + 1) } else { n = s; v = "ON" }
          gsub(/-/, "_", n)
          if (n == want) last = v }
        END { if (last != "") print last }'
}

elt_mariadb_binlog_config() {
    printf '%s\n' '# Written by elt-cdc scripts/lib/services.sh: the binlog that MySQL/MariaDB CDC reads.' \
        '[mysqld]' \
        'log_bin = mysql-bin' \
        'binlog_format = ROW' \
        'binlog_row_image = FULL' \
        'server_id = 1'
}

# Prints the running server's binlog variables as "log_bin=ON binlog_format=ROW ...".
elt_mariadb_binlog_state() {
    elt_mysql -Nse "select concat_ws(' ', concat('log_bin=', if(@@log_bin, 'ON', 'OFF')), concat('binlog_format=', @@binlog_format),
        concat('binlog_row_image=', @@binlog_row_image), concat('server_id=', @@server_id))" 2>/dev/null
}

elt_mariadb_binlog_ok() {
    [ "$(elt_mariadb_binlog_state)" = "log_bin=ON binlog_format=ROW binlog_row_image=FULL server_id=1" ]
}

elt_mariadb_start() {
    local args=()
    # mariadbd refuses to run as root; Debian's own config may not name the user.
    [ -n "$(elt_mariadb_option user)" ] || args+=(--user=mysql)
    [ -d /run/mysqld ] || elt_root install -d -o mysql -g mysql -m 755 /run/mysqld
    [ -d /var/log/mysql ] || elt_root install -d -o mysql -g adm -m 2750 /var/log/mysql
    elt_step "starting mariadbd (start-stop-daemon; its output: /var/log/mysql/mariadbd.out)"
    elt_root start-stop-daemon --start --oknodo --background --output /var/log/mysql/mariadbd.out \
        --pidfile "$(elt_mariadb_pidfile)" --exec "$ELT_MARIADBD" -- "${args[@]}" ||
        elt_die "start-stop-daemon could not start $ELT_MARIADBD"
    elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_mysql_alive ||
        elt_die "MariaDB does not answer on $ELT_MYSQL_HOST:$ELT_MYSQL_PORT after ${ELT_SERVICE_TIMEOUT}s (see /var/log/mysql/)"
}

elt_mariadb_stop() {
    elt_step "stopping mariadbd (mariadb-admin shutdown)"
    if ! "$(elt_mysql_admin)" --no-defaults --protocol=tcp -h "$ELT_MYSQL_HOST" -P "$ELT_MYSQL_PORT" -uroot shutdown >/dev/null 2>&1; then
        # Debian's root@localhost logs in through the socket as the OS user root.
        elt_root "$(elt_mysql_admin)" -uroot shutdown >/dev/null 2>&1 || elt_die "cannot shut MariaDB down to restart it"
    fi
    elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_mariadbd_stopped || elt_die "mariadbd did not stop within ${ELT_SERVICE_TIMEOUT}s"
}

elt_ensure_mariadb() {
    local changed=0 datadir
    if [ ! -x "$ELT_MARIADBD" ] || ! command -v my_print_defaults >/dev/null 2>&1; then
        elt_apt_install mariadb-server
    fi
    if ! command -v "$(elt_mysql_client)" >/dev/null 2>&1; then
        elt_apt_install mariadb-client
    fi

    if [ "$(elt_mariadb_binlog_config)" != "$(cat "$ELT_MARIADB_CNF" 2>/dev/null)" ]; then
        elt_step "writing $ELT_MARIADB_CNF (log_bin, binlog_format=ROW, binlog_row_image=FULL, server_id=1)"
        elt_mariadb_binlog_config | elt_write_root_file "$ELT_MARIADB_CNF"
        elt_root chmod 644 "$ELT_MARIADB_CNF"
        changed=1
    fi
    if [ "$(elt_mariadb_option binlog_format)" != ROW ] || [ -z "$(elt_mariadb_option log_bin)" ]; then
        # A my.cnf that does not read the conf.d folders (Debian's own does).
        if ! grep -qs '^!includedir /etc/mysql/mariadb.conf.d' /etc/mysql/my.cnf; then
            elt_step "adding '!includedir /etc/mysql/mariadb.conf.d/' to /etc/mysql/my.cnf"
            printf '\n!includedir /etc/mysql/mariadb.conf.d/\n' | elt_root tee -a /etc/mysql/my.cnf >/dev/null
            changed=1
        fi
        if [ "$(elt_mariadb_option binlog_format)" != ROW ] || [ -z "$(elt_mariadb_option log_bin)" ]; then
            elt_die "MariaDB's option files override $ELT_MARIADB_CNF (my_print_defaults --mysqld shows binlog_format=$(elt_mariadb_option binlog_format))"
        fi
    fi

    datadir=$(elt_mariadb_option datadir)
    datadir=${datadir:-/var/lib/mysql}
    if [ ! -d "$datadir/mysql" ]; then
        elt_step "initializing MariaDB's data directory $datadir (mysql_install_db)"
        elt_root mysql_install_db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
            >>"$ELT_APT_LOG" 2>&1 || elt_die "mysql_install_db failed (log: $ELT_APT_LOG)"
    fi

    local started=0
    # A server that answers needs no root to be found; a starting one is found by its process.
    if elt_mysql_alive || { [ "$(id -u)" -eq 0 ] && elt_mariadbd_process; }; then
        elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_mysql_alive ||
            elt_die "mariadbd runs but does not answer on $ELT_MYSQL_HOST:$ELT_MYSQL_PORT"
    else
        elt_mariadb_start
        started=1
    fi

    if ! elt_mysql_connects; then
        elt_step "letting root log in over TCP from localhost with an empty password"
        elt_root "$(elt_mysql_client)" -uroot -e "
            CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
            CREATE USER IF NOT EXISTS 'root'@'::1' IDENTIFIED BY '';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION;
            ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');" ||
            elt_die "cannot configure root's login (through the socket, as the OS user root)"
        elt_mysql_connects || elt_die "root still cannot log in to $ELT_MYSQL_HOST:$ELT_MYSQL_PORT with an empty password"
    fi
    if [ -z "$(elt_mysql -Nse "show databases like 'test'")" ]; then
        elt_step "creating database test"
        elt_mysql -e 'CREATE DATABASE test' || elt_die "CREATE DATABASE test failed"
    fi

    if [ "$started" -eq 0 ]; then
        if [ "$changed" -eq 1 ] || ! elt_mariadb_binlog_ok; then
            elt_step "restarting MariaDB to apply the binlog settings (was: $(elt_mariadb_binlog_state))"
            elt_mariadb_stop
            elt_mariadb_start
        else
            elt_step "MariaDB runs with the binlog settings"
        fi
    fi
    elt_mariadb_binlog_ok || elt_die "MariaDB runs with $(elt_mariadb_binlog_state); expected log_bin=ON binlog_format=ROW binlog_row_image=FULL server_id=1"
    elt_step "MariaDB ready: $ELT_MYSQL_HOST:$ELT_MYSQL_PORT, $(elt_mysql -Nse 'select version()'), $(elt_mariadb_binlog_state)"
}

# ---------------------------------------------------------------------------------------------
# A second PostgreSQL cluster for the fault tests (issue: ride out transient faults): they stop,
# start and restart it while a pipeline runs, so the other tests' server is never disturbed.
# Port ELT_PG_FAULT_PORT (5433), cluster name elt_faults, wal_level=logical, trust from localhost.

ELT_PG_FAULT_PORT=${ELT_PG_FAULT_PORT:-5433}
ELT_PG_FAULT_NAME=elt_faults

elt_pg_fault_connects() {
    PGCONNECT_TIMEOUT=5 psql -X -q -h "$ELT_PG_HOST" -p "$ELT_PG_FAULT_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1
}

elt_ensure_fault_postgres() {
    local version status conf hba
    version=$(pg_lsclusters --no-header 2>/dev/null | awk -v n="$ELT_PG_FAULT_NAME" '$2 == n { print $1; exit }')
    if [ -z "$version" ]; then
        version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
        [ -n "$version" ] || elt_die "no PostgreSQL server binaries under /usr/lib/postgresql for the fault tests' cluster"
        elt_step "creating PostgreSQL cluster $version/$ELT_PG_FAULT_NAME on port $ELT_PG_FAULT_PORT (the fault tests stop and restart it)"
        elt_root pg_createcluster --port "$ELT_PG_FAULT_PORT" "$version" "$ELT_PG_FAULT_NAME" >>"$ELT_APT_LOG" 2>&1 ||
            elt_die "pg_createcluster $version $ELT_PG_FAULT_NAME failed (log: $ELT_APT_LOG)"
        conf="/etc/postgresql/$version/$ELT_PG_FAULT_NAME/conf.d/elt-cdc.conf"
        printf '%s\n' "# elt-cdc: the fault tests' cluster" "listen_addresses = '127.0.0.1'" \
            "wal_level = logical" "max_replication_slots = 10" "max_wal_senders = 10" \
            "fsync = off" "synchronous_commit = off" "full_page_writes = off" |
            elt_write_root_file "$conf"
        hba="/etc/postgresql/$version/$ELT_PG_FAULT_NAME/pg_hba.conf"
        {
            printf '%s\n' '# elt-cdc: the fault tests connect from localhost without a password' \
                'host    all            all    127.0.0.1/32    trust' \
                'host    replication    all    127.0.0.1/32    trust' \
                'local   all            all                    trust'
            elt_root cat "$hba"
        } >"${TMPDIR:-/tmp}/elt-cdc-fault-pg_hba.conf"
        elt_write_root_file "$hba" <"${TMPDIR:-/tmp}/elt-cdc-fault-pg_hba.conf"
        rm -f "${TMPDIR:-/tmp}/elt-cdc-fault-pg_hba.conf"
    fi
    status=$(pg_lsclusters --no-header 2>/dev/null | awk -v n="$ELT_PG_FAULT_NAME" '$2 == n { print $4; exit }')
    if [[ "$status" != online* ]]; then
        elt_step "starting PostgreSQL $version/$ELT_PG_FAULT_NAME"
        elt_pg_ctl "$version" "$ELT_PG_FAULT_NAME" start || elt_die "pg_ctlcluster $version $ELT_PG_FAULT_NAME start failed"
    fi
    elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_pg_fault_connects ||
        elt_die "the fault tests' PostgreSQL does not accept user postgres on $ELT_PG_HOST:$ELT_PG_FAULT_PORT (see /var/log/postgresql/)"
    elt_step "PostgreSQL for the fault tests ready: $ELT_PG_HOST:$ELT_PG_FAULT_PORT ($version/$ELT_PG_FAULT_NAME)"
}

# ---------------------------------------------------------------------------------------------

# shellcheck source=scripts/lib/tls.sh
source "$(dirname "${BASH_SOURCE[0]}")/tls.sh"

elt_provision_test_services() {
    local docker=unknown
    if [ -n "${ELT_TEST_PG_URL:-}" ]; then
        elt_step "PostgreSQL: ELT_TEST_PG_URL is set, no local server needed"
    else
        if elt_docker_available; then docker=yes; else docker=no; fi
        if [ "$docker" = yes ]; then
            elt_step "PostgreSQL: a Docker engine runs, the tests start their own (Testcontainers)"
        else
            elt_ensure_postgres
            elt_ensure_postgres_tls
            elt_ensure_fault_postgres
        fi
    fi
    if [ -n "${ELT_TEST_MYSQL_URL:-}" ]; then
        elt_step "MariaDB: ELT_TEST_MYSQL_URL is set, no local server needed"
    else
        if [ "$docker" = unknown ]; then
            if elt_docker_available; then docker=yes; else docker=no; fi
        fi
        if [ "$docker" = yes ]; then
            elt_step "MariaDB: a Docker engine runs, the tests start their own (Testcontainers)"
        else
            elt_ensure_mariadb
            elt_ensure_mariadb_tls
        fi
    fi
}

# ---------------------------------------------------------------------------------------------
# The jar

# Builds job/target/elt-cdc.jar when it is missing or older than the sources (run from the
# repository root). A jar named by ELT_JAR is used as it is.
elt_ensure_jar() {
    if [ -n "${ELT_JAR:-}" ]; then
        [ -f "$ELT_JAR" ] || elt_die "ELT_JAR=$ELT_JAR: no such file"
        elt_step "using $ELT_JAR (ELT_JAR)"
        return
    fi
    ELT_JAR=${1:-job/target/elt-cdc.jar}
    local why=""
    if [ ! -f "$ELT_JAR" ]; then
        why="it is missing"
    elif [ -n "$(find pom.xml operators destinations dist job -newer "$ELT_JAR" \( -name pom.xml -o -path '*/src/main/*' \) -type f -print -quit 2>/dev/null)" ]; then
        why="sources changed since it was built"
    fi
    if [ -z "$why" ]; then
        elt_step "using $ELT_JAR (built $(date -r "$ELT_JAR" '+%Y-%m-%d %H:%M'))"
        return
    fi
    command -v mvn >/dev/null 2>&1 || elt_die "$ELT_JAR: $why, and mvn is not installed to build it"
    elt_step "building $ELT_JAR ($why): mvn -B -q package -DskipTests"
    mvn -B -q package -DskipTests || elt_die "the build failed"
    [ -f "$ELT_JAR" ] || elt_die "the build did not produce $ELT_JAR"
}
