# Sourced by .ci/run: a private PostgreSQL server for the PostgreSQL suites, in a scratch folder, on a loopback port.
# Installs Debian's postgresql when missing, starts the server as the postgres user, exports BATON_TEST_POSTGRES_URL,
# and stops the server when the calling shell exits.

baton_postgres_port="${BATON_CI_POSTGRES_PORT:-55432}"

if ! dpkg -s postgresql >/dev/null 2>&1; then
    echo "installing: postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi
baton_postgres_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
baton_postgres_dir="$(mktemp -d /tmp/baton-ci-postgres.XXXXXX)"
chown postgres:postgres "$baton_postgres_dir"

baton_postgres_stop() {
    su postgres -s /bin/sh -c "'$baton_postgres_bin/pg_ctl' -D '$baton_postgres_dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$baton_postgres_dir"
}
# Keeps whatever exit trap the caller set before, running it after the stop.
baton_postgres_previous_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
trap "baton_postgres_stop; ${baton_postgres_previous_trap}" EXIT

su postgres -s /bin/sh -c "'$baton_postgres_bin/initdb' -D '$baton_postgres_dir/data' -A trust -U postgres --no-sync" >/dev/null
su postgres -s /bin/sh -c "'$baton_postgres_bin/pg_ctl' -D '$baton_postgres_dir/data' -l '$baton_postgres_dir/server.log' -w \
    -o \"-c listen_addresses=127.0.0.1 -p $baton_postgres_port -c max_connections=300 -c unix_socket_directories='$baton_postgres_dir'\" start" \
    >/dev/null
export BATON_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$baton_postgres_port/postgres?sslmode=disable"
echo "PostgreSQL $("$baton_postgres_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$baton_postgres_port for the PostgreSQL suites"
