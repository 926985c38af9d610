# shellcheck shell=bash
# Installs, lints and tests the backend and runs its Alembic migrations.
# Usage: bash scripts/backend.sh install|lint|test|migrate|revision MESSAGE...
set -euo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
# Folder of the Python service, relative to the repo root: backend in a
# client repo, registry in the platform repo.
BACKEND_FOLDER="${BACKEND_FOLDER:-backend}"
BACKEND_DIR="$REPO_ROOT/$BACKEND_FOLDER"
VENV_DIR="$BACKEND_DIR/.venv"
VENV_PYTHON="$VENV_DIR/bin/python"
# SHA-256 of the requirements files that the last successful install used.
REQUIREMENTS_STAMP="$VENV_DIR/requirements.sha256"
LOCAL_POSTGRES_SCRIPT="$REPO_ROOT/scripts/local-postgres.sh"
PYTHON="${PYTHON:-python3}"
# app/settings.py uses typing.Self, which Python 3.11 added.
MIN_PYTHON_VERSION="3.11"

# State that cleanup() reads when the script exits.
STARTED_LOCAL_POSTGRES="false"
THROWAWAY_DATABASE=""

usage() {
  cat <<EOF
Usage: bash scripts/backend.sh COMMAND [ARGUMENTS]

Commands:
  install             Create $BACKEND_FOLDER/.venv if it is missing and install
                      $BACKEND_FOLDER/requirements-dev.txt into it. Reinstalls only
                      after a requirements file has changed.
  lint                Run ruff check and ruff format --check in $BACKEND_FOLDER/.
  test [PYTEST_ARGS]  Migrate a database and run pytest with PYTEST_ARGS.
                      Without DATABASE_URL the tests run on a throwaway
                      database in the local PostgreSQL, dropped afterwards.
  migrate             Run alembic upgrade head.
  revision MESSAGE    Run alembic upgrade head, then generate a migration
                      with alembic revision --autogenerate -m MESSAGE.

Every command except install and lint uses DATABASE_URL if it is set.
Otherwise it uses the local PostgreSQL (scripts/local-postgres.sh). It starts
that server if it is not running and stops it again at the end.

Environment:
  DATABASE_URL   SQLAlchemy URL of the database, for example
                 postgresql+pg8000://app@127.0.0.1:54329/app.
  PYTHON         Interpreter that creates $BACKEND_FOLDER/.venv (default: python3).
  BACKEND_FOLDER Folder of the service, relative to the repo root
                 (default: backend).
  PIP_RETRIES    Retries of pip per request (default here: 0, so an
                 unreachable package index fails at once).
EOF
}

info() {
  printf 'backend: %s\n' "$*" >&2
}

fail() {
  printf 'backend: error: %s\n' "$*" >&2
  exit 1
}

usage_error() {
  printf 'backend: error: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

local_postgres() {
  bash "$LOCAL_POSTGRES_SCRIPT" "$@"
}

check_python() {
  command -v "$PYTHON" >/dev/null 2>&1 ||
    fail "$PYTHON not found. Install Python $MIN_PYTHON_VERSION or newer (Debian/Ubuntu: apt-get install python3 python3-venv, macOS: brew install python@3.12), or set PYTHON to the interpreter's path."
  local major="${MIN_PYTHON_VERSION%%.*}" minor="${MIN_PYTHON_VERSION#*.}"
  if ! "$PYTHON" -c "import sys; sys.exit(sys.version_info < ($major, $minor))"; then
    fail "The backend needs Python $MIN_PYTHON_VERSION or newer, but $PYTHON is $("$PYTHON" --version 2>&1). Install a newer Python, or set PYTHON to one."
  fi
}

# A venv stops working when the interpreter it was created from is removed.
venv_works() {
  [[ -x "$VENV_PYTHON" ]] && "$VENV_PYTHON" -c "" >/dev/null 2>&1
}

create_venv() {
  check_python
  if [[ -e "$VENV_DIR" ]]; then
    info "$BACKEND_FOLDER/.venv does not work (its Python interpreter is missing), so it is created again"
    rm -rf "$VENV_DIR"
  fi
  info "Creating $BACKEND_FOLDER/.venv with $PYTHON ($("$PYTHON" --version 2>&1))"
  if ! "$PYTHON" -m venv "$VENV_DIR"; then
    rm -rf "$VENV_DIR"
    fail "$PYTHON -m venv failed (see the output above). On Debian/Ubuntu the venv module is a separate package: apt-get install python3-venv."
  fi
}

# Prints one SHA-256 over the names and contents of backend/requirements*.txt.
# Every requirements file counts, because requirements-dev.txt includes the
# others with -r. Files outside backend/ that a -r line names are not tracked.
requirements_hash() {
  "$VENV_PYTHON" - "$BACKEND_DIR"/requirements*.txt <<'EOF'
import hashlib
import pathlib
import sys

digest = hashlib.sha256()
for name in sys.argv[1:]:
    path = pathlib.Path(name)
    digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
print(digest.hexdigest())
EOF
}

ensure_installed() {
  [[ -f "$BACKEND_DIR/requirements-dev.txt" ]] ||
    fail "$BACKEND_FOLDER/requirements-dev.txt not found. Run npx projen to generate the backend."
  venv_works || create_venv

  local expected_hash
  expected_hash="$(requirements_hash)"
  if [[ -f "$REQUIREMENTS_STAMP" && "$(cat "$REQUIREMENTS_STAMP")" == "$expected_hash" ]]; then
    return
  fi

  info "Installing $BACKEND_FOLDER/requirements-dev.txt into $BACKEND_FOLDER/.venv"
  # PIP_RETRIES=0 makes an unreachable index fail at once instead of after
  # several minutes of retries.
  if ! PIP_RETRIES="${PIP_RETRIES:-0}" "$VENV_PYTHON" -m pip install \
    --disable-pip-version-check --requirement "$BACKEND_DIR/requirements-dev.txt"; then
    fail "pip install -r $BACKEND_FOLDER/requirements-dev.txt failed (see pip's output above). Check that pip can reach your package index, then run: bash scripts/backend.sh install"
  fi
  printf '%s\n' "$expected_hash" >"$REQUIREMENTS_STAMP"
}

cleanup() {
  local status=$?
  if [[ -n "$THROWAWAY_DATABASE" ]]; then
    local_postgres drop-database "$THROWAWAY_DATABASE" ||
      info "Could not drop database $THROWAWAY_DATABASE. Drop it with: bash scripts/local-postgres.sh drop-database $THROWAWAY_DATABASE"
  fi
  if [[ "$STARTED_LOCAL_POSTGRES" == "true" ]]; then
    local_postgres stop || info "Could not stop the local PostgreSQL. Stop it with: bash scripts/local-postgres.sh stop"
  fi
  exit "$status"
}

# Starts the local PostgreSQL unless it is running, and records that this
# command started it, so that cleanup() stops it again.
start_local_postgres() {
  if local_postgres status >/dev/null 2>&1; then
    return
  fi
  local_postgres start
  STARTED_LOCAL_POSTGRES="true"
  info "The local PostgreSQL was started for this command and is stopped when it ends"
}

# Exports DATABASE_URL. A value that the caller set is kept. Otherwise it
# points at database app in the local PostgreSQL.
use_migration_database() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    info "Using the database in DATABASE_URL"
    return
  fi
  start_local_postgres
  DATABASE_URL="$(local_postgres url)"
  export DATABASE_URL
  info "Using the local database $DATABASE_URL"
}

# Exports DATABASE_URL. A value that the caller set is kept. Otherwise it
# points at a new database in the local PostgreSQL, which cleanup() drops.
use_test_database() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    info "Using the database in DATABASE_URL"
    return
  fi
  start_local_postgres
  local name
  name="app_test_$(date +%Y%m%d%H%M%S)_$$"
  local_postgres create-database "$name"
  THROWAWAY_DATABASE="$name"
  DATABASE_URL="$(local_postgres url "$name")"
  export DATABASE_URL
}

run_alembic() {
  (cd "$BACKEND_DIR" && "$VENV_PYTHON" -m alembic "$@")
}

command_install() {
  ensure_installed
  info "$BACKEND_FOLDER/.venv is up to date with the requirements files"
}

command_lint() {
  ensure_installed
  cd "$BACKEND_DIR"
  local status=0
  "$VENV_PYTHON" -m ruff check . || status=1
  "$VENV_PYTHON" -m ruff format --check . || status=1
  if ((status != 0)); then
    fail "Lint failed. ruff check --fix . and ruff format . in $BACKEND_FOLDER/ fix most findings."
  fi
}

command_test() {
  ensure_installed
  use_test_database
  run_alembic upgrade head
  (cd "$BACKEND_DIR" && "$VENV_PYTHON" -m pytest "$@")
}

command_migrate() {
  ensure_installed
  use_migration_database
  run_alembic upgrade head
}

command_revision() {
  local message="$*"
  ensure_installed
  use_migration_database
  # Autogenerate compares the models with the database, so the database must
  # be at the latest revision first.
  run_alembic upgrade head
  run_alembic revision --autogenerate -m "$message"
}

main() {
  cd "$REPO_ROOT"
  local command="${1:-}"
  [[ $# -eq 0 ]] || shift
  case "$command" in
    install | lint | migrate)
      [[ $# -eq 0 ]] || usage_error "$command takes no arguments."
      ;;
    revision)
      [[ -n "${*// /}" ]] || usage_error "revision needs a message, for example: bash scripts/backend.sh revision add orders table"
      ;;
    test) ;;
    -h | --help | help)
      usage
      return
      ;;
    "")
      usage_error "Missing command."
      ;;
    *)
      usage_error "Unknown command '$command'."
      ;;
  esac

  trap cleanup EXIT
  # Turn Ctrl-C and termination into a normal exit, so cleanup() runs.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  "command_$command" "$@"
}

main "$@"
