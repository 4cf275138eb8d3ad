# shellcheck shell=bash
# TLS for the local test servers; sourced by scripts/lib/services.sh (which defines elt_step, elt_root,
# elt_psql, elt_mysql…). Called by elt_provision_test_services after each server is ready.
#
#   elt_ensure_tls_files     a test CA, a server certificate (SAN DNS:localhost, IP:127.0.0.1; not
#                            127.0.0.2, so a test can provoke a host name mismatch), a client
#                            certificate (CN elt_tls_cert_user) and a second CA that signed nothing
#                            here, in $ELT_TLS_DIR (default /var/lib/elt-cdc-tls; test-support's
#                            TestTls reads the same folder); https.p12, a PKCS-12 key store (password
#                            elt-cdc-tls) with a certificate of the same names for the tests' own
#                            HTTPS servers (S3Proxy)
#   elt_ensure_postgres_tls  ssl = on with those files (ALTER SYSTEM, reload); users elt_tls_user
#                            (admitted only over TLS, database and replication) and elt_tls_cert_user
#                            (only over TLS, with a client certificate): hba lines before all others
#   elt_ensure_mariadb_tls   ssl_ca / ssl_cert / ssl_key in $ELT_MARIADB_TLS_CNF; MariaDB reads them
#                            only at start, so it restarts once, when they are not in place yet; user
#                            elt_tls_user REQUIRE SSL
#
# Idempotent: files that exist are kept, settings in place change nothing and restart nothing.

ELT_TLS_DIR=${ELT_TLS_DIR:-/var/lib/elt-cdc-tls}
ELT_MARIADB_TLS_CNF=/etc/mysql/mariadb.conf.d/91-elt-cdc-tls.cnf
ELT_TLS_USER=elt_tls_user
ELT_TLS_CERT_USER=elt_tls_cert_user
# The MariaDB TLS user's password and https.p12's (test material, like the certificates).
ELT_TLS_MYSQL_PASSWORD=elt-cdc-tls
ELT_TLS_FILES_CHANGED=0

elt_tls_files_present() {
    local f
    for f in ca.crt ca.key other-ca.crt server.crt server.key client.crt client.key client.pk8 \
        postgres/server.crt postgres/server.key mysql/server.crt mysql/server.key; do
        elt_root test -s "$ELT_TLS_DIR/$f" || return 1
    done
}

# openssl x509 -req with the given extensions, signed by the test CA.
elt_tls_sign() { # CSR OUT EXTENSIONS
    local ext
    ext=$(mktemp)
    printf '%s\n' "$3" >"$ext"
    elt_root openssl x509 -req -in "$1" -CA "$ELT_TLS_DIR/ca.crt" -CAkey "$ELT_TLS_DIR/ca.key" -CAcreateserial \
        -days 3650 -sha256 -out "$2" -extfile "$ext" >>"$ELT_APT_LOG" 2>&1
    local status=$?
    rm -f "$ext"
    return $status
}

elt_ensure_tls_files() {
    command -v openssl >/dev/null 2>&1 || elt_apt_install openssl
    if elt_tls_files_present; then
        elt_tls_ensure_https_store
        elt_step "TLS test files in $ELT_TLS_DIR"
        return
    fi
    elt_step "making a test CA, server and client certificates in $ELT_TLS_DIR (openssl)"
    local d=$ELT_TLS_DIR
    elt_root mkdir -p "$d/postgres" "$d/mysql"
    elt_root chmod 755 "$d"
    {
        elt_root openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=elt-cdc test CA" \
            -keyout "$d/ca.key" -out "$d/ca.crt" &&
            elt_root openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
                -subj "/CN=elt-cdc other test CA" -keyout "$d/other-ca.key" -out "$d/other-ca.crt" &&
            elt_root openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
                -keyout "$d/server.key" -out "$d/server.csr" &&
            elt_tls_sign "$d/server.csr" "$d/server.crt" "$(printf '%s\n' \
                'subjectAltName = DNS:localhost, IP:127.0.0.1' 'basicConstraints = CA:FALSE' \
                'keyUsage = digitalSignature, keyEncipherment' 'extendedKeyUsage = serverAuth')" &&
            elt_root openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$ELT_TLS_CERT_USER" \
                -keyout "$d/client.key" -out "$d/client.csr" &&
            elt_tls_sign "$d/client.csr" "$d/client.crt" "$(printf '%s\n' 'basicConstraints = CA:FALSE' \
                'keyUsage = digitalSignature, keyEncipherment' 'extendedKeyUsage = clientAuth')" &&
            elt_root openssl pkcs8 -topk8 -nocrypt -in "$d/client.key" -outform DER -out "$d/client.pk8"
    } >>"$ELT_APT_LOG" 2>&1 || elt_die "openssl failed making the TLS test files (log: $ELT_APT_LOG)"
    elt_root rm -f "$d/server.csr" "$d/client.csr" "$d/other-ca.key" "$d/ca.srl"
    # The CA's key stays root's; the client's key is test material the tests (any user) read.
    elt_root chmod 600 "$d/ca.key" "$d/server.key"
    elt_root chmod 644 "$d/ca.crt" "$d/other-ca.crt" "$d/server.crt" "$d/client.crt" "$d/client.key" "$d/client.pk8"
    # Each server reads a copy of its own: both insist on owning their key file (mode 0600).
    local service
    for service in postgres mysql; do
        elt_root install -m 644 "$d/server.crt" "$d/$service/server.crt"
        elt_root install -m 600 "$d/server.key" "$d/$service/server.key"
        if id "$service" >/dev/null 2>&1; then
            elt_root chown "$service:" "$d/$service/server.crt" "$d/$service/server.key"
        fi
    done
    elt_tls_ensure_https_store
    ELT_TLS_FILES_CHANGED=1
}

# A key store for the tests' own HTTPS servers: a key of its own (not the database servers'), readable
# by any user, with a certificate for localhost and 127.0.0.1 signed by the test CA.
elt_tls_ensure_https_store() {
    local d=$ELT_TLS_DIR
    elt_root test -s "$d/https.p12" && return
    elt_step "making $d/https.p12 (a test HTTPS server's key and certificate)"
    {
        elt_root openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
            -keyout "$d/https.key" -out "$d/https.csr" &&
            elt_tls_sign "$d/https.csr" "$d/https.crt" "$(printf '%s\n' \
                'subjectAltName = DNS:localhost, IP:127.0.0.1' 'basicConstraints = CA:FALSE' \
                'keyUsage = digitalSignature, keyEncipherment' 'extendedKeyUsage = serverAuth')" &&
            elt_root openssl pkcs12 -export -in "$d/https.crt" -inkey "$d/https.key" -name https \
                -passout pass:"$ELT_TLS_MYSQL_PASSWORD" -out "$d/https.p12"
    } >>"$ELT_APT_LOG" 2>&1 || elt_die "openssl failed making $d/https.p12 (log: $ELT_APT_LOG)"
    elt_root rm -f "$d/https.csr" "$d/https.key" "$d/ca.srl"
    elt_root chmod 644 "$d/https.p12" "$d/https.crt"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

elt_pg_tls_hba_block() {
    printf '%s\n' \
        "# elt-cdc-tls begin: test users admitted only over TLS (scripts/lib/tls.sh)" \
        "hostssl    all          $ELT_TLS_USER        all    trust" \
        "hostssl    replication  $ELT_TLS_USER        all    trust" \
        "hostnossl  all          $ELT_TLS_USER        all    reject" \
        "hostnossl  replication  $ELT_TLS_USER        all    reject" \
        "hostssl    all          $ELT_TLS_CERT_USER   all    cert" \
        "hostssl    replication  $ELT_TLS_CERT_USER   all    cert" \
        "hostnossl  all          $ELT_TLS_CERT_USER   all    reject" \
        "hostnossl  replication  $ELT_TLS_CERT_USER   all    reject" \
        "# elt-cdc-tls end"
}

elt_ensure_postgres_tls() {
    local hba changes=() reload=0 want
    elt_ensure_tls_files
    declare -A want_settings=(
        [ssl]=on
        [ssl_cert_file]="$ELT_TLS_DIR/postgres/server.crt"
        [ssl_key_file]="$ELT_TLS_DIR/postgres/server.key"
        [ssl_ca_file]="$ELT_TLS_DIR/ca.crt"
    )
    for want in ssl ssl_cert_file ssl_key_file ssl_ca_file; do
        if [ "$(elt_pg_setting "$want")" != "${want_settings[$want]}" ]; then
            changes+=(-c "ALTER SYSTEM SET $want = '${want_settings[$want]}'")
        fi
    done
    if [ "${#changes[@]}" -gt 0 ]; then
        elt_step "PostgreSQL: ssl = on with the test certificates (ALTER SYSTEM)"
        elt_psql -d postgres "${changes[@]}" || elt_die "ALTER SYSTEM SET ssl… failed"
        reload=1
    fi

    hba=$(elt_psql -d postgres -Atc 'show hba_file') || elt_die "cannot ask PostgreSQL for its hba_file"
    if [ "$(elt_root sed -n '/^# elt-cdc-tls begin/,/^# elt-cdc-tls end/p' "$hba")" != "$(elt_pg_tls_hba_block)" ]; then
        elt_step "PostgreSQL: hba lines for $ELT_TLS_USER and $ELT_TLS_CERT_USER (TLS only) first in $hba"
        {
            elt_pg_tls_hba_block
            elt_root sed '/^# elt-cdc-tls begin/,/^# elt-cdc-tls end/d' "$hba"
        } >"${TMPDIR:-/tmp}/elt-cdc-tls-pg_hba.conf"
        elt_write_root_file "$hba" <"${TMPDIR:-/tmp}/elt-cdc-tls-pg_hba.conf"
        rm -f "${TMPDIR:-/tmp}/elt-cdc-tls-pg_hba.conf"
        reload=1
    fi
    if [ "$reload" -eq 1 ] || [ "$ELT_TLS_FILES_CHANGED" -eq 1 ]; then
        elt_step "PostgreSQL: reload (ssl and hba are reloadable; no restart)"
        elt_psql -d postgres -Atc 'select pg_reload_conf()' >/dev/null || elt_die "pg_reload_conf() failed"
        elt_wait_until 30 elt_pg_tls_active || elt_die "PostgreSQL did not turn ssl on after the reload (see /var/log/postgresql/)"
    fi
    local user
    for user in "$ELT_TLS_USER" "$ELT_TLS_CERT_USER"; do
        if [ "$(elt_psql -d postgres -Atc "select count(*) from pg_roles where rolname = '$user' and rolcanlogin and rolreplication")" != 1 ]; then
            elt_step "PostgreSQL: user $user (LOGIN REPLICATION)"
            elt_psql -d postgres -c "DO \$\$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN CREATE ROLE $user; END IF;
              END \$\$" -c "ALTER ROLE $user LOGIN REPLICATION" || elt_die "cannot create user $user"
        fi
    done
    elt_step "PostgreSQL TLS ready: ssl=on, CA $ELT_TLS_DIR/ca.crt, users $ELT_TLS_USER, $ELT_TLS_CERT_USER admitted only over TLS"
}

elt_pg_tls_active() {
    [ "$(elt_pg_setting ssl)" = on ] &&
        PGSSLMODE=require elt_psql -d postgres -Atc 'select ssl from pg_stat_ssl where pid = pg_backend_pid()' | grep -qx t
}

# ---------------------------------------------------------------------------------------------
# MariaDB

elt_mariadb_tls_config() {
    printf '%s\n' '# Written by elt-cdc scripts/lib/tls.sh: TLS with the test certificates.' \
        '[mysqld]' \
        "ssl_ca = $ELT_TLS_DIR/ca.crt" \
        "ssl_cert = $ELT_TLS_DIR/mysql/server.crt" \
        "ssl_key = $ELT_TLS_DIR/mysql/server.key"
}

elt_mariadb_tls_state() {
    elt_mysql -Nse "select concat_ws(' ', @@have_ssl, @@ssl_ca, @@ssl_cert, @@ssl_key)" 2>/dev/null
}

elt_mariadb_tls_ok() {
    [ "$(elt_mariadb_tls_state)" = "YES $ELT_TLS_DIR/ca.crt $ELT_TLS_DIR/mysql/server.crt $ELT_TLS_DIR/mysql/server.key" ]
}

elt_ensure_mariadb_tls() {
    elt_ensure_tls_files
    if [ "$(elt_mariadb_tls_config)" != "$(cat "$ELT_MARIADB_TLS_CNF" 2>/dev/null)" ]; then
        elt_step "writing $ELT_MARIADB_TLS_CNF (ssl_ca, ssl_cert, ssl_key)"
        elt_mariadb_tls_config | elt_write_root_file "$ELT_MARIADB_TLS_CNF"
        elt_root chmod 644 "$ELT_MARIADB_TLS_CNF"
    fi
    if ! elt_mariadb_tls_ok; then
        # ssl_* are read-only variables in MariaDB 10.x: only a start reads them (FLUSH SSL reloads
        # the files they name, once they are set).
        elt_step "restarting MariaDB once to turn TLS on (was: $(elt_mariadb_tls_state))"
        elt_mariadb_stop
        elt_mariadb_start
        elt_wait_until "$ELT_SERVICE_TIMEOUT" elt_mysql_connects || elt_die "MariaDB did not come back after the restart"
        elt_mariadb_tls_ok || elt_die "MariaDB runs with TLS '$(elt_mariadb_tls_state)' after the restart; expected the files of $ELT_MARIADB_TLS_CNF (another option file overrides it?)"
    elif [ "$ELT_TLS_FILES_CHANGED" -eq 1 ]; then
        elt_step "MariaDB: FLUSH SSL (new certificate files)"
        elt_mysql -e 'FLUSH SSL' || elt_die "FLUSH SSL failed"
    fi
    if [ "$(elt_mysql -Nse "select ssl_type from mysql.user where user = '$ELT_TLS_USER' and host = '%'" 2>/dev/null)" != ANY ]; then
        elt_step "MariaDB: user $ELT_TLS_USER (REQUIRE SSL; SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT)"
        elt_mysql -e "CREATE USER IF NOT EXISTS '$ELT_TLS_USER'@'%' IDENTIFIED BY '$ELT_TLS_MYSQL_PASSWORD';
            ALTER USER '$ELT_TLS_USER'@'%' IDENTIFIED BY '$ELT_TLS_MYSQL_PASSWORD' REQUIRE SSL;
            GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$ELT_TLS_USER'@'%';" ||
            elt_die "cannot create MariaDB user $ELT_TLS_USER"
    fi
    elt_step "MariaDB TLS ready: CA $ELT_TLS_DIR/ca.crt, user $ELT_TLS_USER admitted only over TLS"
}
