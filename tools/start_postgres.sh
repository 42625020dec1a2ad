#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks: Debian's packages (installed
# if missing), a fresh cluster in $STATEMEDIA_PG_DIR, listening on 127.0.0.1 only with
# trust authentication (loopback, test data only — never a shared corpus server).
#
#   eval "$(tools/start_postgres.sh)"      # exports STATEMEDIA_TEST_PG=postgresql://...
#   tools/start_postgres.sh stop           # stops it
#
# Environment: STATEMEDIA_PG_DIR (default /tmp/statemedia-pg), STATEMEDIA_PG_PORT (default:
# 5432, or the next free port), STATEMEDIA_PG_DB (default statemedia_test).
set -euo pipefail

DIR=${STATEMEDIA_PG_DIR:-/tmp/statemedia-pg}
DB=${STATEMEDIA_PG_DB:-statemedia_test}

log() { echo "start_postgres: $*" >&2; }

bindir() {
  # Debian keeps the server binaries out of PATH, one folder per major version.
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] && command -v initdb >/dev/null 2>&1; then d=$(dirname "$(command -v initdb)"); fi
  echo "$d"
}

# The server refuses to run as root: run its commands as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

BIN=$(bindir)
if [ "${1:-}" = stop ]; then
  [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2
  exit 0
fi

if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  log "installing PostgreSQL from Debian's packages"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
  BIN=$(bindir)
fi

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"

if [ -f "$DIR/port" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  PORT=$(cat "$DIR/port")
  log "already running on port $PORT"
else
  PORT=${STATEMEDIA_PG_PORT:-5432}
  while (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # fsync off: a test cluster is thrown away on a crash anyway, and it halves ingest time.
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off" >&2
  echo "$PORT" | as_owner tee "$DIR/port" >/dev/null
  log "started on 127.0.0.1:$PORT (data in $DIR/data, log in $DIR/server.log)"
fi

if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" \
  | grep -q 1; then
  as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE $DB" >&2
fi
echo "export STATEMEDIA_TEST_PG=postgresql://postgres@127.0.0.1:$PORT/$DB"
