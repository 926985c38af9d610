# shellcheck shell=bash
# Installs, builds and serves the frontend, and regenerates its API client
# from the backend's OpenAPI schema. Run from the repo root:
#   bash scripts/frontend.sh install|client|build|dev
set -euo pipefail

readonly frontend_dir=frontend
readonly backend_dir=backend

fail() {
  echo "scripts/frontend.sh: $*" >&2
  exit 1
}

require_npm() {
  command -v npm >/dev/null 2>&1 || fail "npm is missing. Install Node.js 20 or newer (https://nodejs.org), then run this again."
}

install() {
  require_npm
  # The lockfile keeps the image's npm ci in step with this machine; commit it.
  npm --prefix "$frontend_dir" install --no-audit --no-fund
}

ensure_installed() {
  [[ -d "$frontend_dir/node_modules" ]] || install
}

# Writes the backend's OpenAPI schema without a database: the schema depends
# only on the routes. Python writes the file itself, so log lines on stdout
# cannot end up in it.
dump_schema() {
  bash scripts/backend.sh install
  (
    cd "$backend_dir"
    env -u DATABASE_URL -u INSTANCE_CONNECTION_NAME -u DB_USER -u DB_NAME DATABASE_ENABLED=false \
      .venv/bin/python -c '
import json
import sys

from app.main import create_app

with open(sys.argv[1], "w", encoding="utf-8") as schema:
    json.dump(create_app().openapi(), schema, indent=2, sort_keys=True)
    schema.write("\n")
' "../$frontend_dir/openapi.json"
  )
}

client() {
  ensure_installed
  dump_schema
  npm --prefix "$frontend_dir" run generate
  echo "Wrote $frontend_dir/openapi.json and $frontend_dir/src/schema.d.ts; commit both."
}

case "${1:-}" in
  install) install ;;
  client) client ;;
  build)
    ensure_installed
    npm --prefix "$frontend_dir" run build
    ;;
  dev)
    ensure_installed
    exec npm --prefix "$frontend_dir" run dev
    ;;
  *)
    echo "usage: bash scripts/frontend.sh install|client|build|dev" >&2
    exit 2
    ;;
esac
