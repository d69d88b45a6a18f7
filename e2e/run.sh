#!/usr/bin/env bash
# End-to-end check through Microsoft 365 Agents Playground in headless Chromium.
#
#   make e2e            (or: bash e2e/run.sh)
#
# Installs what it needs when missing: Debian's chromium (apt-get, as root) and the
# Playground + playwright-core from npm into e2e/node_modules (versions pinned in
# e2e/package.json; playwright never downloads a browser of its own). Starts the bot on
# a throw-away SQLite database, starts the Playground against it, and runs e2e/drive.mjs.
# Screenshots and report.json land in e2e/out/. Nothing leaves this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PY="${PY:-.venv/bin/python}"
MEDBOT="${MEDBOT:-.venv/bin/medbot}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

if [[ ! -x "$CHROMIUM" ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "e2e: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "e2e: $CHROMIUM is missing; install Debian's chromium package (apt-get install chromium)" >&2
    exit 2
  fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "e2e: node and npm are needed (apt-get install nodejs npm)" >&2
  exit 2
fi
if [[ ! -f e2e/node_modules/@microsoft/m365agentsplayground/cli.js || ! -d e2e/node_modules/playwright-core ]]; then
  echo "e2e: installing the Agents Playground and playwright-core into e2e/node_modules"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix e2e --no-audit --no-fund --loglevel=error
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # url seconds
  for _ in $(seq 1 "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "e2e: $1 did not come up" >&2
  return 1
}

echo "e2e: starting the bot on port $PORT (database in $work)"
MicrosoftAppId="" MEDBOT_DATA_DIR="$work" MEDBOT_DATABASE_URL="" "$MEDBOT" serve --port "$PORT" --host 127.0.0.1 >"$work/bot.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PORT/healthz" 120

echo "e2e: starting the Agents Playground on port $PLAYGROUND_PORT"
BROWSER=none node e2e/node_modules/@microsoft/m365agentsplayground/cli.js start \
  --app-endpoint "http://localhost:$PORT/api/messages" --channel-id msteams \
  --port "$PLAYGROUND_PORT" --disable-telemetry >"$work/playground.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PLAYGROUND_PORT/" 180

status=0
node e2e/drive.mjs "http://localhost:$PLAYGROUND_PORT/" || status=$?
mkdir -p e2e/out
cp "$work/bot.log" "$work/playground.log" e2e/out/ 2>/dev/null || true
echo "e2e: screenshots, report.json and logs are in e2e/out/"
exit "$status"
