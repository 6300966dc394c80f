#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (and for trying DATABASE_URL=postgresql+psycopg://…
# by hand): data under /tmp, listening on 127.0.0.1 only, trust authentication for the role "app".
# Idempotent: a server already answering on the port is reused. Prints the database URL.
# The server refuses to run as root, so as root it runs as Debian's "postgres" user.
set -euo pipefail

PORT="${INDIKATOR_PG_PORT:-55432}"
PGDATA="${INDIKATOR_PG_DATA:-/tmp/indikator-pg-$PORT}"
SOCK="$PGDATA-sock"
DB=indikator
URL="postgresql+psycopg://app@127.0.0.1:$PORT/$DB"

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    command -v initdb >/dev/null && dirname "$(readlink -f "$(command -v initdb)")"
}

PGBIN=$(pg_bin || true)
if [ -z "$PGBIN" ]; then
    echo "Installerar Debians postgresql …" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(pg_bin)
fi

RUNAS=()
[ "$(id -u)" = 0 ] && RUNAS=(runuser -u postgres --)

answering() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U app -d postgres; }

if ! answering; then
    # Nothing answers: whatever is left in the data directory is from a dead server.
    rm -rf "$PGDATA" "$SOCK"
    mkdir -p "$PGDATA" "$SOCK"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA" "$SOCK"
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U app --auth=trust -E UTF8 --locale=C.UTF-8 \
        >/dev/null
    # Durability off: the server lives for a test run and its data is thrown away.
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -s start -o \
        "-k $SOCK -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2
fi

if [ -z "$("$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U app -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U app "$DB"
fi
echo "$URL"
