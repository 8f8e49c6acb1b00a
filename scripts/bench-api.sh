#!/usr/bin/env bash
# What the API's per-key rate limit costs: wrk against GET /api/v1/trips?perPage=1 with one key, the quota counted
# (ONSPOT_API_RATE_LIMIT high enough never to refuse) and then not counted (off), on the same SQLite database.
# Usage: scripts/bench-api.sh [BINARY] (default .build/release/onspot); DURATION (15 s), CONNECTIONS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/onspot}"
duration="${DURATION:-15}"
connections="${CONNECTIONS:-8}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
key=""
for limit in 1000000 off; do
    ONSPOT_API_RATE_LIMIT=$limit "$binary" serve --demo --database "$work/onspot.sqlite" --hostname 127.0.0.1 --port "$port" \
        >"$work/server-$limit.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.5; done
    [ -n "$key" ] || key="$(python3 scripts/schemathesis-apikey.py "$base")"
    sleep 20   # the freshly seeded database's background catch-up settles first
    echo "== ONSPOT_API_RATE_LIMIT=$limit"
    wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $key" "$base/api/v1/trips?perPage=1" \
        | grep -E "Requests/sec|50%|99%"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
