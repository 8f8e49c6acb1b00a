#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1, runs the given command with TEST_DATABASE_URL set, then stops it.
# Usage: scripts/with-postgres.sh swift test --filter OnSpotServerTests
set -euo pipefail

PG_PORT="${PG_PORT:-54329}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "with-postgres: installing PostgreSQL from Debian" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
DATA_DIR="$(mktemp -d /tmp/onspot-pg.XXXXXX)"

# initdb refuses to run as root: run the server as the postgres system user when we are root.
as_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi }
if [ "$(id -u)" = "0" ]; then chown postgres "$DATA_DIR"; fi

cleanup() { as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DATA_DIR"; }
trap cleanup EXIT

as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U onspot --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -l "$DATA_DIR/log" -w start >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U onspot onspot_test

export TEST_DATABASE_URL="postgres://onspot@127.0.0.1:$PG_PORT/onspot_test?sslmode=disable"
"$@"
