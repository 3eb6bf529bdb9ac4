#!/usr/bin/env bash
# The README's two commands in a fresh clone inside a private folder, as a new user would try them:
#
#   d=$(mktemp -d)                      # mode 0700, like root's home
#   git clone <repo> "$d/app" && cd "$d/app" && npm install && npm start   # until /readyz is 200
#   npm test                            # must print its summary
#
# Run it as root to check the case where PostgreSQL runs as the `postgres` user and cannot enter
# the folder, or as a normal user. Options (environment):
#   REPO=<path or URL>   what to clone (default: this checkout's committed HEAD)
#   SKIP_TEST=1          only `npm install` and `npm start` (the full suite takes minutes)
#   NODE=<node binary>   run with another Node (e.g. from `npm install --prefix /opt/node22 node@22`)
set -euo pipefail

repo=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
node_bin=${NODE:-$(command -v node)}
export PATH="$(dirname "$node_bin"):$PATH"
private=$(mktemp -d)
app="$private/app"
port=$((20000 + RANDOM % 20000))
pg_port=$((port + 1))
pid=''

cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  # As root, a cluster the postgres user could not reach in the private folder lives elsewhere.
  if [[ -L $app/.data/pg ]]; then rm -rf "$(readlink "$app/.data/pg")"; fi
  rm -rf "$private"
}
trap cleanup EXIT

echo "user $(id -un), node $(node --version), npm $(npm --version)"
echo "folder $private (mode $(stat -c %a "$private"))"
git clone --quiet "$repo" "$app"
cd "$app"
npm install --no-audit --no-fund 2>&1 | tee "$private/install.log" | tail -n 3
if grep -q EBADENGINE "$private/install.log"; then echo "npm install printed EBADENGINE warnings" >&2; exit 1; fi

PORT=$port EMBEDDED_PG_PORT=$pg_port npm start >"$private/start.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$private/start.log" >&2; echo "npm start exited before it was ready" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$private/start.log" >&2; exit 1; }
echo "npm start: ready on port $port"
grep -E '^  (GraphQL|Explorer|Demo)' "$private/start.log" || true
# npm does not pass SIGTERM on; stop the platform process itself.
platform=$(pgrep -P "$pid" -f "main\.(ts|js) start" || true)
kill -TERM "${platform:-$pid}"
wait "$pid" || true
pid=''
echo "npm start: stopped"

if [[ -z ${SKIP_TEST:-} ]]; then
  npm test 2>&1 | tee "$private/test.log" | tail -n 8
  grep -Eq 'Test Files .*passed' "$private/test.log" || { echo "npm test printed no passing summary" >&2; exit 1; }
fi
echo "fresh clone check passed"
