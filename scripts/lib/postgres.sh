# A throwaway PostgreSQL server from Debian's packages, for tests and benchmarks: initdb in a
# temporary folder, listening on 127.0.0.1 only, password authentication, run as a non-root user.
# Source it after common.sh; it defines functions only.
#
#   start_postgres          # sets POSTGRES_URL (postgres://switchboard:<password>@127.0.0.1:<port>/switchboard)
#   stop_postgres           # stops the server and removes its folder
#
# start_postgres returns non-zero, with the reason on stderr, when the server cannot start.

POSTGRES_DIR=""
POSTGRES_URL=""
POSTGRES_BIN=""
POSTGRES_RUN=()

start_postgres() {
  ensure_packages postgresql libpq-dev || { echo "could not install postgresql with apt-get" >&2; return 1; }
  POSTGRES_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$POSTGRES_BIN" ] || [ ! -x "$POSTGRES_BIN/initdb" ]; then
    echo "no initdb under /usr/lib/postgresql/*/bin" >&2
    return 1
  fi
  POSTGRES_DIR=$(mktemp -d /tmp/switchboard-postgres-XXXXXX)
  chmod 755 "$POSTGRES_DIR"
  POSTGRES_RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the server runs as the postgres user the package created.
    if ! id postgres >/dev/null 2>&1; then echo "running as root and there is no postgres user" >&2; return 1; fi
    chown postgres "$POSTGRES_DIR"
    POSTGRES_RUN=(runuser -u postgres --)
  fi
  local password port
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "$password" >"$POSTGRES_DIR/password"
  chmod 644 "$POSTGRES_DIR/password"
  if ! "${POSTGRES_RUN[@]}" "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR/data" -U switchboard --pwfile="$POSTGRES_DIR/password" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C --no-sync >"$POSTGRES_DIR/initdb.log" 2>&1; then
    echo "initdb failed: $(tail -3 "$POSTGRES_DIR/initdb.log")" >&2
    return 1
  fi
  rm -f "$POSTGRES_DIR/password"
  # Durable like production (fsync, synchronous_commit on): the figures measured on it are honest.
  if ! "${POSTGRES_RUN[@]}" "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$POSTGRES_DIR -c max_connections=300" \
      start >/dev/null 2>&1; then
    echo "the server did not start: $(tail -3 "$POSTGRES_DIR/server.log" 2>/dev/null)" >&2
    return 1
  fi
  if ! PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$port" -U switchboard -d postgres \
      -c "CREATE DATABASE switchboard" >/dev/null 2>"$POSTGRES_DIR/createdb.log"; then
    echo "CREATE DATABASE failed: $(cat "$POSTGRES_DIR/createdb.log")" >&2
    return 1
  fi
  POSTGRES_URL="postgres://switchboard:$password@127.0.0.1:$port/switchboard"
}

stop_postgres() {
  [ -n "$POSTGRES_DIR" ] || return 0
  if [ -d "$POSTGRES_DIR/data" ]; then
    "${POSTGRES_RUN[@]}" "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=""
}

# create_database URL NAME: creates database NAME on URL's server and prints its URL.
create_database() {
  local url=$1 name=$2
  psql -q "$url" -c "CREATE DATABASE $name" >/dev/null || return 1
  printf '%s/%s\n' "${url%/*}" "$name"
}
