# shellcheck shell=bash
# Runs a PostgreSQL server for local development, without containers.
# Usage: bash scripts/local-postgres.sh start|stop|status|url|create-database|drop-database
set -euo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
PG_ROOT="$REPO_ROOT/.local/postgres"
PG_DATA="$PG_ROOT/data"
PG_LOG="$PG_ROOT/server.log"
PG_HOST="127.0.0.1"
PG_PORT="${LOCAL_PG_PORT:-54329}"
PREFERRED_MAJOR_VERSION="15"
SUPERUSER="postgres"
APP_ROLE="app"
APP_DATABASE="app"
# User that runs the server programs when this script runs as root, because
# initdb and postgres reject root.
SERVER_USER="postgres"
START_TIMEOUT_SECONDS="60"

# Set by find_bin_dir.
PG_BIN=""

usage() {
  cat <<EOF
Usage: bash scripts/local-postgres.sh COMMAND

Runs a PostgreSQL server for local development. Its data is in
.local/postgres, it listens only on $PG_HOST and it trusts every connection
from there, so it needs no password.

Commands:
  start                  Start the server. The first start creates the data
                         folder, role $APP_ROLE and database $APP_DATABASE.
                         Does nothing if the server is already running.
  stop                   Stop the server. Does nothing if it is not running.
  status                 Print whether the server is running. Exits with 0
                         if it is running and 3 if it is not.
  url [DATABASE]         Print the SQLAlchemy URL for role $APP_ROLE and
                         DATABASE (default: $APP_DATABASE).
  create-database NAME   Create database NAME, owned by role $APP_ROLE.
  drop-database NAME     Drop database NAME and close its open connections.

Environment:
  LOCAL_PG_PORT   TCP port of the server (default: 54329).
  PG_BIN_DIR      Folder with the PostgreSQL server binaries (initdb, pg_ctl,
                  postgres, psql). Without it the script uses the folder that
                  pg_config --bindir prints, or /usr/lib/postgresql/*/bin,
                  preferring PostgreSQL $PREFERRED_MAJOR_VERSION.
EOF
}

info() {
  printf 'local-postgres: %s\n' "$*" >&2
}

fail() {
  printf 'local-postgres: error: %s\n' "$*" >&2
  exit 1
}

usage_error() {
  printf 'local-postgres: error: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

relative_path() {
  printf '%s\n' "${1#"$REPO_ROOT"/}"
}

validate_port() {
  if [[ ! "$PG_PORT" =~ ^[0-9]+$ ]] || ((PG_PORT < 1024 || PG_PORT > 65535)); then
    fail "LOCAL_PG_PORT is '$PG_PORT', but it must be a TCP port from 1024 to 65535."
  fi
}

validate_database_name() {
  local name="$1"
  # Plain lower-case identifiers need no quoting in SQL or in the URL.
  if [[ ! "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    fail "Invalid database name '$name'. Use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63 characters)."
  fi
}

# Prints the major version of the postgres binary in folder $1, for example 15.
major_version_of() {
  local version
  version="$("$1/postgres" --version | awk '{ print $3 }')"
  printf '%s\n' "${version%%[!0-9]*}"
}

has_server_binaries() {
  local dir="$1" program
  for program in initdb pg_ctl postgres psql createdb dropdb; do
    [[ -x "$dir/$program" ]] || return 1
  done
}

# Sets PG_BIN to the folder with the server binaries, or exits saying how to
# install them.
find_bin_dir() {
  if [[ -n "${PG_BIN_DIR:-}" ]]; then
    has_server_binaries "$PG_BIN_DIR" ||
      fail "PG_BIN_DIR is $PG_BIN_DIR, but initdb, pg_ctl, postgres, psql, createdb or dropdb is missing there. Set PG_BIN_DIR to the bin folder of a PostgreSQL $PREFERRED_MAJOR_VERSION installation, or unset it."
    PG_BIN="$PG_BIN_DIR"
    warn_unless_preferred_version
    return
  fi

  local candidates=() dir
  if command -v pg_config >/dev/null 2>&1; then
    candidates+=("$(pg_config --bindir)")
  fi
  candidates+=("/usr/lib/postgresql/$PREFERRED_MAJOR_VERSION/bin")
  # Other installed versions, highest first.
  while IFS= read -r dir; do
    candidates+=("$dir")
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort --version-sort --reverse)

  local fallback=""
  for dir in "${candidates[@]}"; do
    has_server_binaries "$dir" || continue
    if [[ "$(major_version_of "$dir")" == "$PREFERRED_MAJOR_VERSION" ]]; then
      PG_BIN="$dir"
      return
    fi
    [[ -n "$fallback" ]] || fallback="$dir"
  done

  if [[ -n "$fallback" ]]; then
    PG_BIN="$fallback"
    warn_unless_preferred_version
    return
  fi
  fail "PostgreSQL server binaries not found: looked in the folder that pg_config --bindir prints and in /usr/lib/postgresql/*/bin. Install PostgreSQL $PREFERRED_MAJOR_VERSION (Debian/Ubuntu: apt-get install postgresql-$PREFERRED_MAJOR_VERSION, macOS: brew install postgresql@$PREFERRED_MAJOR_VERSION), or set PG_BIN_DIR to the folder that contains initdb and pg_ctl."
}

warn_unless_preferred_version() {
  local major
  major="$(major_version_of "$PG_BIN")"
  if [[ "$major" != "$PREFERRED_MAJOR_VERSION" ]]; then
    info "warning: using PostgreSQL $major from $PG_BIN, but Cloud SQL runs PostgreSQL $PREFERRED_MAJOR_VERSION. Install PostgreSQL $PREFERRED_MAJOR_VERSION or set PG_BIN_DIR to its bin folder to test against the same version."
  fi
}

running_as_root() {
  ((EUID == 0))
}

check_root_requirements() {
  running_as_root || return 0
  command -v runuser >/dev/null 2>&1 ||
    fail "runuser not found. As root this script runs the server as the $SERVER_USER user with runuser, which comes with util-linux (Debian/Ubuntu: apt-get install util-linux). Or run the script as a normal user."
  id -u "$SERVER_USER" >/dev/null 2>&1 ||
    fail "User $SERVER_USER not found. As root this script runs the server as that user, because PostgreSQL rejects root. Create it (Debian/Ubuntu: apt-get install postgresql-$PREFERRED_MAJOR_VERSION creates it) or run the script as a normal user."
}

# Runs a server program from PG_BIN, as SERVER_USER when this script runs as root.
run_server_program() {
  local program="$1"
  shift
  if running_as_root; then
    runuser -u "$SERVER_USER" -- "$PG_BIN/$program" "$@"
  else
    "$PG_BIN/$program" "$@"
  fi
}

# Runs a client program (psql, createdb, dropdb) as the superuser over TCP.
run_client_program() {
  local program="$1"
  shift
  PGCONNECT_TIMEOUT=10 "$PG_BIN/$program" \
    --host "$PG_HOST" --port "$(server_port)" --username "$SUPERUSER" "$@"
}

# Prints the result of one SQL query, run as the superuser on database postgres.
query() {
  run_client_program psql --dbname postgres --no-psqlrc --quiet \
    --tuples-only --no-align --set ON_ERROR_STOP=1 --command "$1"
}

is_initialized() {
  [[ -s "$PG_DATA/PG_VERSION" ]]
}

is_running() {
  is_initialized || return 1
  run_server_program pg_ctl status --pgdata "$PG_DATA" >/dev/null 2>&1
}

# Prints the port of the running server, read from line 4 of postmaster.pid,
# or LOCAL_PG_PORT when the server is not running.
server_port() {
  local port=""
  if [[ -r "$PG_DATA/postmaster.pid" ]]; then
    port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
  fi
  printf '%s\n' "${port:-$PG_PORT}"
}

# Creates PG_ROOT and, as root, gives it to SERVER_USER.
prepare_root_folder() {
  mkdir -p "$PG_ROOT"
  if running_as_root; then
    chown -R "$SERVER_USER:" "$PG_ROOT"
    runuser -u "$SERVER_USER" -- test -w "$PG_ROOT" ||
      fail "User $SERVER_USER cannot write to $PG_ROOT, so it cannot run the server. A parent folder is probably closed to other users (for example /root, which has mode 700). Move the repo to a folder that other users can enter, or run this script as a normal user."
  elif [[ -e "$PG_DATA" && ! -O "$PG_DATA" ]]; then
    fail "$(relative_path "$PG_DATA") belongs to user $(stat -c %U "$PG_DATA" 2>/dev/null || echo another user), not to you. Run this script as that user or as root."
  fi
}

initialize() {
  if [[ -e "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA")" ]]; then
    fail "$(relative_path "$PG_DATA") exists but contains no PG_VERSION file, so it is not a complete PostgreSQL data folder (an earlier initdb may have stopped halfway). Delete $(relative_path "$PG_ROOT") and run start again. This deletes the local databases."
  fi
  info "Creating a PostgreSQL $(major_version_of "$PG_BIN") data folder in $(relative_path "$PG_DATA")"
  local initdb_log="$PG_ROOT/initdb.log"
  # With trust authentication any process on this machine can connect as any
  # role without a password. Other machines cannot, because the server
  # listens only on 127.0.0.1.
  if ! run_server_program initdb --pgdata "$PG_DATA" --username "$SUPERUSER" \
    --auth trust --encoding UTF8 --no-locale >"$initdb_log" 2>&1; then
    cat "$initdb_log" >&2
    rm -rf "$PG_DATA"
    fail "initdb failed (its output is above)."
  fi
}

check_data_version() {
  local data_version binary_version
  data_version="$(cat "$PG_DATA/PG_VERSION")"
  binary_version="$(major_version_of "$PG_BIN")"
  if [[ "$data_version" != "$binary_version" ]]; then
    fail "$(relative_path "$PG_DATA") was created by PostgreSQL $data_version, but the binaries in $PG_BIN are PostgreSQL $binary_version. Set PG_BIN_DIR to the bin folder of PostgreSQL $data_version, or delete $(relative_path "$PG_ROOT") to start over with empty databases."
  fi
}

port_in_use() {
  # Bash opens a TCP connection for redirections to /dev/tcp/HOST/PORT.
  (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
}

start_server() {
  if port_in_use; then
    fail "Port $PG_PORT on $PG_HOST is already in use by another program. Set LOCAL_PG_PORT to a free port, for example LOCAL_PG_PORT=$((PG_PORT + 1))."
  fi
  info "Starting PostgreSQL on $PG_HOST:$PG_PORT (log: $(relative_path "$PG_LOG"))"
  # pg_ctl passes -o through a shell, so '' sets an empty list and the server
  # opens no Unix socket. The default socket folder may not be writable (on
  # Debian it is /var/run/postgresql), and a socket path inside the repo can
  # exceed the length limit of Unix socket paths (107 bytes on Linux).
  if ! run_server_program pg_ctl start --pgdata "$PG_DATA" --log "$PG_LOG" \
    --wait --timeout "$START_TIMEOUT_SECONDS" --silent \
    -o "-c listen_addresses=$PG_HOST -c port=$PG_PORT -c unix_socket_directories=''"; then
    info "Last lines of $(relative_path "$PG_LOG"):"
    tail -n 20 "$PG_LOG" >&2 || true
    fail "PostgreSQL failed to start (see the log lines above)."
  fi
}

ensure_app_role_and_database() {
  if [[ -z "$(query "SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE'")" ]]; then
    query "CREATE ROLE $APP_ROLE LOGIN" >/dev/null
    info "Created role $APP_ROLE"
  fi
  if [[ -z "$(query "SELECT 1 FROM pg_database WHERE datname = '$APP_DATABASE'")" ]]; then
    run_client_program createdb --owner "$APP_ROLE" "$APP_DATABASE"
    info "Created database $APP_DATABASE, owned by role $APP_ROLE"
  fi
}

command_start() {
  validate_port
  find_bin_dir
  check_root_requirements
  prepare_root_folder

  if is_initialized; then
    check_data_version
  else
    initialize
  fi

  if is_running; then
    local running_port
    running_port="$(server_port)"
    if [[ "$running_port" != "$PG_PORT" ]]; then
      fail "PostgreSQL is already running on port $running_port, but LOCAL_PG_PORT is $PG_PORT. Stop it first (bash scripts/local-postgres.sh stop) to change the port."
    fi
    info "PostgreSQL is already running on $PG_HOST:$running_port"
  else
    start_server
  fi
  # Checked on every start, so a first start that was interrupted is completed.
  ensure_app_role_and_database
}

command_stop() {
  find_bin_dir
  check_root_requirements
  if ! is_running; then
    info "PostgreSQL is not running"
    return
  fi
  run_server_program pg_ctl stop --pgdata "$PG_DATA" --mode fast --wait --silent
  info "Stopped PostgreSQL"
}

command_status() {
  find_bin_dir
  check_root_requirements
  if ! is_initialized; then
    echo "PostgreSQL is not running: $(relative_path "$PG_DATA") does not exist yet. Run: bash scripts/local-postgres.sh start"
    return 3
  fi
  if ! is_running; then
    echo "PostgreSQL is not running (data: $(relative_path "$PG_DATA"))"
    return 3
  fi
  local pid
  pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
  echo "PostgreSQL is running on $PG_HOST:$(server_port) with PID $pid (data: $(relative_path "$PG_DATA"))"
}

command_url() {
  local database="${1:-$APP_DATABASE}"
  validate_port
  validate_database_name "$database"
  echo "postgresql+pg8000://$APP_ROLE@$PG_HOST:$(server_port)/$database"
}

require_running() {
  find_bin_dir
  check_root_requirements
  is_running || fail "PostgreSQL is not running. Start it with: bash scripts/local-postgres.sh start"
}

command_create_database() {
  local name="$1"
  validate_database_name "$name"
  require_running
  run_client_program createdb --owner "$APP_ROLE" "$name"
  info "Created database $name, owned by role $APP_ROLE"
}

command_drop_database() {
  local name="$1"
  validate_database_name "$name"
  case "$name" in
    postgres | template0 | template1)
      fail "Database $name belongs to PostgreSQL itself and cannot be dropped with this script."
      ;;
  esac
  require_running
  run_client_program dropdb --if-exists --force "$name"
  info "Dropped database $name"
}

main() {
  cd "$REPO_ROOT"
  local command="${1:-}"
  case "$command" in
    start | stop | status)
      [[ $# -eq 1 ]] || usage_error "$command takes no arguments."
      "command_$command"
      ;;
    url)
      [[ $# -le 2 ]] || usage_error "url takes at most one argument, the database name."
      command_url "${2:-}"
      ;;
    create-database | drop-database)
      [[ $# -eq 2 ]] || usage_error "$command takes one argument, the database name."
      "command_${command//-/_}" "$2"
      ;;
    -h | --help | help)
      usage
      ;;
    "")
      usage_error "Missing command."
      ;;
    *)
      usage_error "Unknown command '$command'."
      ;;
  esac
}

main "$@"
