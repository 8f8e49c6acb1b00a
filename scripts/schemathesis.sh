#!/usr/bin/env bash
# Property-based contract test of the JSON API: Schemathesis runs every check against the server's own
# /api/v1/openapi.yaml with a fixed seed, and this script exits non-zero on any failure or error.
#
# Usage: scripts/schemathesis.sh [BINARY]      (default: .build/debug/onspot, built beforehand)
# Environment: SCHEMATHESIS_SEED (42), SCHEMATHESIS_MAX_EXAMPLES (100),
#              SCHEMATHESIS_MAX_TIME (unset: no budget; set, fuzzing and stateful testing repeat until it is spent),
#              SCHEMATHESIS_REPORT_DIR (a temporary folder; JUnit and NDJSON reports are written there).
# It starts the server on a free loopback port with a throwaway SQLite database and the demo data, signs in
# as the demo PLUS agency admin to create an API key, runs Schemathesis, then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-.build/debug/onspot}"
seed="${SCHEMATHESIS_SEED:-42}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
max_time="${SCHEMATHESIS_MAX_TIME:-}"
extra=()
[ -z "$max_time" ] || extra+=(--max-time "$max_time")
[ -x "$binary" ] || { echo "schemathesis.sh: no server binary at $binary (run: swift build --product onspot)" >&2; exit 2; }

command -v schemathesis >/dev/null 2>&1 || python3 -m pip install -q schemathesis
schemathesis_bin="$(command -v schemathesis || true)"
[ -n "$schemathesis_bin" ] || { echo "schemathesis.sh: schemathesis is not on PATH after installing it" >&2; exit 2; }
echo "== $("$schemathesis_bin" --version)"

work="$(mktemp -d)"
report_dir="$(realpath -m "${SCHEMATHESIS_REPORT_DIR:-$work/report}")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work/db" "$work/.schemathesis" "$work/.hypothesis"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
mkdir -p "$work/db"
# Schemathesis sends a few thousand requests a minute with one key: a quota it would hit would leave operations
# untested behind 429s (the quota itself is tested by ApiRateLimitTests).
ONSPOT_API_RATE_LIMIT=1000000 ONSPOT_OUTGOING_LOOPBACK=allow "$binary" serve --demo --database "$work/db/onspot.sqlite" \
    --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
    if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "schemathesis.sh: the server stopped while starting:" >&2; tail -30 "$work/server.log" >&2; exit 2
    fi
    sleep 0.5
done
curl -fsS "$base/health" >/dev/null || { echo "schemathesis.sh: no answer from $base/health" >&2; tail -30 "$work/server.log" >&2; exit 2; }

key="$(python3 scripts/schemathesis-apikey.py "$base")"
echo "== server $base, API key ${key:0:8}…, seed $seed, at most $max_examples examples per operation"

# One worker: Python 3.11's parser is not safe under Hypothesis' concurrent lambda inspection (it fails with
# "AST constructor recursion depth mismatch"), and one worker keeps the run reproducible for a given seed.
# From the temporary folder: Schemathesis and Hypothesis keep their caches in the working directory.
config="$PWD/scripts/schemathesis.toml"
status=0
(cd "$work" && "$schemathesis_bin" --config-file "$config" run "$base/api/v1/openapi.yaml" \
    --checks all \
    --seed "$seed" \
    --generation-database none \
    --max-examples "$max_examples" \
    --workers 1 \
    --request-timeout 30 \
    --header "Authorization: Bearer $key" \
    --report junit,ndjson --report-dir "$report_dir" \
    --no-color ${extra[@]+"${extra[@]}"}) || status=$?

if grep -E '\[ (ERROR|CRITICAL) \]' "$work/server.log" >/dev/null 2>&1; then
    echo "== server errors logged during the run:"; grep -E '\[ (ERROR|CRITICAL) \]' "$work/server.log" | head -20
fi
echo "== reports in $report_dir"
exit "$status"
