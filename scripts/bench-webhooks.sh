#!/usr/bin/env bash
# Webhook intake benchmark (BENCHMARKS.md): a release build of the server on a fresh SQLite file, the load generator
# against it, then a check that every unique message is stored exactly once.
# Usage: scripts/bench-webhooks.sh [rate] [duration]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-2000}"; DURATION="${2:-20}"
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product onspot >/dev/null
BIN="${ONSPOT_BINARY:-.build/release/onspot}"
DIR="$(mktemp -d /tmp/onspot-bench.XXXXXX)"; DB="$DIR/bench.sqlite"; PORT=18080
source scripts/bench-server.sh
start_bench_server
"$BIN" bench --url "http://127.0.0.1:$PORT" --secret bench-secret --rate "$RATE" --duration "$DURATION" | tee "$DIR/bench.txt"
UNIQUE=$(grep "unique messages sent" "$DIR/bench.txt" | awk '{print $4}')
count_after_processing 120
echo "check: $UNIQUE unique sent, $STORED stored, $DISTINCT distinct, $PENDING events pending"
[ "$STORED" = "$UNIQUE" ] && [ "$DISTINCT" = "$UNIQUE" ] && echo "none lost, none duplicated" || { echo "MISMATCH"; exit 1; }
