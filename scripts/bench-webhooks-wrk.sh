#!/usr/bin/env bash
# Webhook intake under wrk (Debian): pre-signed WhatsApp bodies, each a unique message, so the load generator spends
# next to nothing per request and leaves the server its cores. Prints wrk's throughput and latency distribution, then
# checks that every acknowledged message is stored once.
# Usage: scripts/bench-webhooks-wrk.sh [connections] [duration-seconds] [synchronous: full|normal]
# On PostgreSQL (issue 20): POSTGRES=1 WEB=1|2 scripts/bench-webhooks-wrk.sh ... starts a throwaway PostgreSQL, WEB web
# processes and a worker behind nginx, and posts through nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${POSTGRES:-}" ] && [ -z "${TEST_DATABASE_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
CONNECTIONS="${1:-32}"; DURATION="${2:-20}"; SYNC="${3:-full}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
BIN="${ONSPOT_BINARY:-.build/release/onspot}"
[ -n "${SKIP_BUILD:-}" ] || { swift build -c release --product onspot >/dev/null; BIN=.build/release/onspot; }
DIR="$(mktemp -d /tmp/onspot-wrk.XXXXXX)"; DB="$DIR/bench.sqlite"; PORT="${PORT:-18081}"
source scripts/bench-server.sh
if [ -n "${POSTGRES:-}" ]; then
  command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
  export DATABASE_URL="$TEST_DATABASE_URL"
  LABEL="PostgreSQL, ${WEB:-1} web process(es) and a worker behind nginx"
  start_bench_cluster
else
  LABEL="SQLite, synchronous=$SYNC"
  BENCH_SERVER_ENV="ONSPOT_SQLITE_SYNCHRONOUS=$SYNC" start_bench_server
fi
sleep 6 # the signature cache's lifetime: the new endpoint's secret is read on the first webhook
# Enough distinct bodies that none repeats within the run at up to 8,000 req/s.
COUNT=$(( DURATION * 8000 ))
python3 - "$DIR/bodies.txt" "$COUNT" <<'PY'
import hashlib, hmac, json, sys, time, uuid
path, count = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    for i in range(count):
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Bench"}, "wa_id": "4915%07d" % (i % 500)}],
            "messages": [{"from": "4915%07d" % (i % 500), "id": "wamid.wrk-" + uuid.uuid4().hex, "timestamp": str(int(time.time())),
                          "type": "text", "text": {"body": "load %d" % i}}]}}]}]}, separators=(",", ":"))
        sig = "sha256=" + hmac.new(b"bench-secret", body.encode(), hashlib.sha256).hexdigest()
        out.write(sig + "\t" + body + "\n")
PY
cat > "$DIR/post.lua" <<LUA
local bodies, signatures, n = {}, {}, 0
for line in io.lines("$DIR/bodies.txt") do
  local tab = line:find("\t", 1, true)
  n = n + 1; signatures[n] = line:sub(1, tab - 1); bodies[n] = line:sub(tab + 1)
end
local counter = 0
function setup(thread) thread:set("offset", counter); counter = counter + 1 end
local i = 0
function request()
  i = i + 1
  local k = ((i * 4 + offset) % n) + 1
  return wrk.format("POST", "/webhooks/whatsapp", {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signatures[k]}, bodies[k])
end
done = function(summary, latency, requests)
  io.write(string.format("wrk: %d requests, %d non-2xx or errors, %.0f req/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
echo "$LABEL, $CONNECTIONS connections, $DURATION s, 4 wrk threads"
wrk -t4 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$DIR/post.lua" "http://127.0.0.1:$PORT" | tail -n 3
count_after_processing 180
EVENTS=$(sql "SELECT COUNT(*) FROM inbound_events")
echo "check: $EVENTS events acknowledged and stored, $STORED messages, $DISTINCT distinct, $PENDING pending"
[ "$STORED" = "$DISTINCT" ] && [ "$PENDING" = "0" ] && echo "none lost, none duplicated" || { echo "MISMATCH"; exit 1; }
