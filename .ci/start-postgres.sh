#!/usr/bin/env bash
# Start a throw-away PostgreSQL for the storage tests and print how to reach it.
#
#   url_line="$(bash .ci/start-postgres.sh | tail -n 1)"   # MEDBOT_TEST_POSTGRES_URL=postgresql+asyncpg://...
#   export "$url_line"
#   .venv/bin/python -m pytest -q tests/bot
#   bash .ci/start-postgres.sh stop                          # optional: stop it and delete its files
#
# - Installs Debian's `postgresql` package when no server binaries are present
#   (needs root; apt-get update + apt-get install -y postgresql).
# - Initialises a cluster in $MEDBOT_PG_DIR (default: medbot-postgres in the system's
#   temporary folder, $TMPDIR or the default mktemp uses), owned by the
#   `postgres` user when run as root, listening on 127.0.0.1 only, on the first free port
#   from $MEDBOT_PG_PORT (default 55432), with its socket in that folder.
# - Creates the role `medbot` (random password, CREATEDB: the tests make one database per
#   test) and the database `medbot_test`, waits until a password login works.
# - Idempotent: when the cluster of an earlier run is still up and answering, it prints
#   the same URL again; a stale or broken one is wiped and made anew.
# - Everything but the final line goes to stderr; the last stdout line is the URL line.
# - The cluster trades durability for speed (fsync=off): it is for tests only.
set -euo pipefail

PG_DIR="${MEDBOT_PG_DIR:-$(dirname "$(mktemp -u)")/medbot-postgres}"
FIRST_PORT="${MEDBOT_PG_PORT:-55432}"
DB_NAME="medbot_test"
DB_USER="medbot"
STATE_FILE="$PG_DIR/url"
DATA_DIR="$PG_DIR/data"
LOG_FILE="$PG_DIR/server.log"

say() { printf 'start-postgres: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

find_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        printf '%s\n' "$dir"
    fi
}

# Run a command as the cluster's owner (postgres when we are root).
as_owner() {
    if [[ "$(id -u)" -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stop_cluster() {
    local bindir="$1"
    if [[ -n "$bindir" && -f "$DATA_DIR/postmaster.pid" ]]; then
        say "stopping the cluster in $DATA_DIR"
        as_owner "$bindir/pg_ctl" -D "$DATA_DIR" -m fast -w -t 30 stop >&2 || \
            as_owner "$bindir/pg_ctl" -D "$DATA_DIR" -m immediate -w -t 30 stop >&2 || true
    fi
}

url_works() {
    # $1: the asyncpg URL stored by an earlier run
    local url="${1#MEDBOT_TEST_POSTGRES_URL=}" bindir="$2"
    local libpq_url="postgresql://${url#postgresql+asyncpg://}"
    [[ -x "$bindir/psql" ]] || return 1
    PGCONNECT_TIMEOUT=3 "$bindir/psql" "$libpq_url" -XAtqc 'select 1' >/dev/null 2>&1
}

install_postgres() {
    if [[ "$(id -u)" -ne 0 ]]; then
        die "PostgreSQL is not installed and this is not root: apt-get install -y postgresql first"
    fi
    command -v apt-get >/dev/null || die "no apt-get: this script expects Debian or Ubuntu"
    say "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    local attempt
    for attempt in 1 2 3; do
        if apt-get update >&2 && apt-get install -y postgresql >&2; then
            return 0
        fi
        say "apt-get failed (attempt $attempt of 3)"
        sleep $((attempt * 5))
    done
    die "could not install PostgreSQL with apt-get"
}

BINDIR="$(find_bindir)"

if [[ "${1:-}" == "stop" ]]; then
    stop_cluster "$BINDIR"
    rm -rf "$PG_DIR"
    say "stopped and removed $PG_DIR"
    exit 0
fi
[[ $# -eq 0 ]] || die "usage: $0 [stop]"

# 1. An earlier run's cluster that still answers: reuse it.
if [[ -n "$BINDIR" && -s "$STATE_FILE" ]] && url_works "$(cat "$STATE_FILE")" "$BINDIR"; then
    say "reusing the running cluster in $PG_DIR"
    tail -n 1 "$STATE_FILE"
    exit 0
fi

# 2. Install when needed.
if [[ -z "$BINDIR" ]]; then
    install_postgres
    BINDIR="$(find_bindir)"
    [[ -n "$BINDIR" ]] || die "PostgreSQL server binaries not found after installing"
fi
say "using $("$BINDIR/postgres" --version)"

# 3. A fresh cluster in a temp dir owned by the postgres user.
stop_cluster "$BINDIR"
rm -rf "$PG_DIR"
mkdir -p "$PG_DIR"
chmod 700 "$PG_DIR"
if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no postgres user (the Debian package creates it)"
    chown postgres:postgres "$PG_DIR"
fi

random_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
SUPERUSER_PASSWORD="$(random_hex)"
DB_PASSWORD="$(random_hex)"
PWFILE="$PG_DIR/superuser.pw"
printf '%s\n' "$SUPERUSER_PASSWORD" > "$PWFILE"
chmod 600 "$PWFILE"
[[ "$(id -u)" -ne 0 ]] || chown postgres:postgres "$PWFILE"

say "initialising a cluster in $DATA_DIR"
as_owner "$BINDIR/initdb" -D "$DATA_DIR" -U postgres --pwfile="$PWFILE" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
rm -f "$PWFILE"

cat >> "$DATA_DIR/postgresql.conf" <<EOF
# medbot test cluster (throw-away)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
EOF

# 4. Start on the first free port (retry when another process grabs it first).
PORT="$FIRST_PORT"
started=""
for _ in $(seq 1 50); do
    if port_in_use "$PORT"; then
        PORT=$((PORT + 1))
        continue
    fi
    say "starting on 127.0.0.1:$PORT"
    if as_owner "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -o "-p $PORT" -w -t 60 start >&2; then
        started=1
        break
    fi
    say "could not start on port $PORT; trying the next one"
    tail -n 5 "$LOG_FILE" >&2 || true
    PORT=$((PORT + 1))
done
[[ -n "$started" ]] || die "PostgreSQL did not start (see $LOG_FILE)"

for _ in $(seq 1 60); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        break
    fi
    sleep 1
done
"$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" || die "PostgreSQL does not accept connections"

# 5. The test role and database (over the local socket, as the superuser).
as_owner "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PORT" -U postgres -d postgres >&2 <<SQL
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL

URL_LINE="MEDBOT_TEST_POSTGRES_URL=postgresql+asyncpg://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"

# 6. Wait until a password login over TCP works, as the tests will do it.
ok=""
for _ in $(seq 1 30); do
    if url_works "$URL_LINE" "$BINDIR"; then
        ok=1
        break
    fi
    sleep 1
done
[[ -n "$ok" ]] || die "the medbot role cannot log in over TCP (see $LOG_FILE)"

umask 077
printf '%s\n' "$URL_LINE" > "$STATE_FILE"
say "ready: database $DB_NAME, role $DB_USER, 127.0.0.1:$PORT (stop with: bash $0 stop)"
printf '%s\n' "$URL_LINE"
