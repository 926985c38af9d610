# shellcheck shell=bash
# Runs the backend for local development: with Docker Compose when Docker is
# available, otherwise on this machine against the local PostgreSQL.
# Usage: bash scripts/dev.sh
set -euo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
BACKEND_DIR="$REPO_ROOT/backend"
VENV_PYTHON="$BACKEND_DIR/.venv/bin/python"
LOCAL_POSTGRES_SCRIPT="$REPO_ROOT/scripts/local-postgres.sh"
BACKEND_SCRIPT="$REPO_ROOT/scripts/backend.sh"
PORT="${PORT:-8080}"

usage() {
  cat <<'EOF'
Usage: bash scripts/dev.sh

Runs the backend for local development.

If docker info succeeds, this runs docker compose up --build with
docker-compose.yml: PostgreSQL in one container and the backend on
http://127.0.0.1:8080 in another.

Otherwise it starts the local PostgreSQL (scripts/local-postgres.sh), runs
the migrations and serves the backend with uvicorn --reload on
http://127.0.0.1:$PORT. Ctrl-C stops the backend, but PostgreSQL keeps
running until: bash scripts/local-postgres.sh stop

Environment:
  PORT            Port of the backend without Docker (default: 8080).
  LOCAL_PG_PORT   Port of the local PostgreSQL (default: 54329).
EOF
}

info() {
  printf 'dev: %s\n' "$*" >&2
}

fail() {
  printf 'dev: error: %s\n' "$*" >&2
  exit 1
}

usage_error() {
  printf 'dev: error: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

validate_port() {
  if [[ ! "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    fail "PORT is '$PORT', but it must be a TCP port from 1 to 65535."
  fi
}

# Prints why Docker cannot be used, or nothing when it can.
docker_unavailable_reason() {
  if ! command -v docker >/dev/null 2>&1; then
    echo "docker not found on PATH"
  elif ! docker info >/dev/null 2>&1; then
    echo "docker info failed"
  fi
}

run_with_docker_compose() {
  docker compose version >/dev/null 2>&1 ||
    fail "docker compose not found: Docker works, but its Compose plugin is missing. Install it (Debian/Ubuntu: apt-get install docker-compose-plugin, Docker Desktop includes it)."
  info "Starting docker compose up --build"
  exec docker compose up --build
}

run_without_docker() {
  validate_port
  bash "$BACKEND_SCRIPT" install

  local postgres_was_running="true"
  if ! bash "$LOCAL_POSTGRES_SCRIPT" status >/dev/null 2>&1; then
    postgres_was_running="false"
  fi
  bash "$LOCAL_POSTGRES_SCRIPT" start
  DATABASE_URL="$(bash "$LOCAL_POSTGRES_SCRIPT" url)"
  export DATABASE_URL
  if ! bash "$BACKEND_SCRIPT" migrate; then
    if [[ "$postgres_was_running" == "false" ]]; then
      bash "$LOCAL_POSTGRES_SCRIPT" stop
    fi
    fail "bash scripts/backend.sh migrate failed (see its output above), so the backend was not started."
  fi

  cd "$BACKEND_DIR"
  info "Serving the backend on http://127.0.0.1:$PORT with $DATABASE_URL. Ctrl-C stops it, but PostgreSQL keeps running until: bash scripts/local-postgres.sh stop"
  exec "$VENV_PYTHON" -m uvicorn app.main:app --reload --reload-dir app \
    --host 127.0.0.1 --port "$PORT"
}

main() {
  cd "$REPO_ROOT"
  case "${1:-}" in
    -h | --help | help)
      usage
      return
      ;;
    "") ;;
    *)
      usage_error "dev.sh takes no arguments."
      ;;
  esac

  local reason
  reason="$(docker_unavailable_reason)"
  if [[ -z "$reason" ]]; then
    run_with_docker_compose
  fi
  info "Docker is not available ($reason), so the backend runs on this machine against a local PostgreSQL."
  run_without_docker
}

main "$@"
