#!/usr/bin/env bash
# Portal and console pages at a realistic size (issue 20): seeds `onspot demo --scale N` into a fresh database (SQLite
# by default, PostgreSQL with --postgres), serves it with the release build, signs in as an agency admin and as the
# demo expert, checks that each page answers 200, then runs wrk (Debian) on each page with C connections for D
# seconds and prints p50, p95 and p99 in milliseconds with requests/s: first as C users who each wait THINK ms between
# two pages (people reading), then as C connections asking back to back (the saturation point). Usage:
#   scripts/bench-portal.sh [--scale 100] [--connections 20] [--duration 30] [--think 1000] [--postgres] [--binary PATH]
# wrk starts every connection at the same instant, so the first round is C requests at once; 30 s keeps that burst (it
# is counted) at a few percent of the samples, as 20 people reading would rarely click together.
# --sqlite FILE keeps the seeded SQLite database there and reuses it when it exists (seeding 100 takes a minute or two).
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=100 CONNECTIONS=20 DURATION=30 THINK=1000 POSTGRES=0 BINARY=.build/release/onspot
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --think) THINK="$2"; shift 2 ;;
    --postgres) POSTGRES=1; shift ;;
    --binary) BINARY="$2"; shift 2 ;;
    --sqlite) KEEP_DB="$2"; shift 2 ;;
    --inner) INNER=1; shift ;;
    *) echo "bench-portal: unknown option $1" >&2; exit 64 ;;
  esac
done

if [ "$POSTGRES" = 1 ] && [ -z "${INNER:-}" ]; then
  # A throwaway PostgreSQL server for the run: the same script again, inside it.
  exec scripts/with-postgres.sh "$0" --inner --postgres --scale "$SCALE" --connections "$CONNECTIONS" --duration "$DURATION" \
    --think "$THINK" --binary "$BINARY"
fi

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
[ -x "$BINARY" ] || swift build -c release --product onspot

WORK="$(mktemp -d /tmp/onspot-bench-portal.XXXXXX)"
PORT="${PORT:-18480}"
BASE="http://127.0.0.1:$PORT"
export ONSPOT_PUBLIC_URL="$BASE" ONSPOT_MAIL=off
if [ "$POSTGRES" = 1 ]; then
  export DATABASE_URL="$TEST_DATABASE_URL"
  DB_ARGS=()
  LABEL="PostgreSQL"
else
  unset DATABASE_URL
  DB_ARGS=(--database "${KEEP_DB:-$WORK/onspot.sqlite}")
  LABEL="SQLite"
fi
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB" ]; then
  echo "== reusing $KEEP_DB (seeded with --scale $SCALE)"
else
  echo "== seeding --scale $SCALE on $LABEL"
  "$BINARY" demo --scale "$SCALE" "${DB_ARGS[@]}" 2>&1 | grep -v Migrator | tail -2
fi

"$BINARY" serve "${DB_ARGS[@]}" --hostname 127.0.0.1 --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -fs "$BASE/ready" >/dev/null 2>&1 && break; sleep 0.5; done

# Signs in through the login form like a browser; prints the session cookie.
sign_in() {
  local jar="$WORK/$1.jar"
  local csrf
  csrf="$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)"
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=$1" --data-urlencode "password=onspot-demo-2026" \
    --data-urlencode "_csrf=$csrf" "$BASE/login"
  awk '$6 == "onspot_session" { print $7 }' "$jar"
}
AGENCY="$(sign_in "admin@scale-$(( (SCALE + 1) / 2 )).example")"
EXPERT="$(sign_in expert@onspot-demo.example)"
# Pages saved first, and sed rather than head: a pipe closed early would fail the script under pipefail.
curl -fs -b "onspot_session=$AGENCY" -o "$WORK/trips.html" "$BASE/trips?phase=in_service"
curl -fs -b "onspot_session=$EXPERT" -o "$WORK/console.html" "$BASE/console"
TRIP="$(grep -o -m1 '/trips/[0-9A-Fa-f-]\{36\}' "$WORK/trips.html" | sed -n 1p)"
CASE="$(grep -o -m1 '/console/cases/[0-9A-Fa-f-]\{36\}' "$WORK/console.html" | sed -n 1p)"

cat > "$WORK/report.lua" <<'LUA'
wrk.headers["Cookie"] = "onspot_session=" .. os.getenv("SESSION")
local think = tonumber(os.getenv("THINK") or "0")
if think > 0 then
  -- Each user reads for about THINK ms (from half to one and a half times it) before the next page.
  function delay() return math.random(think / 2, think * 3 / 2) end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%8.1f %8.1f %8.1f %9.0f %8d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6), e.status + e.connect + e.read + e.write + e.timeout))
end
LUA

PAGES=("dashboard|/|$AGENCY" "trip search|/trips?q=Durand|$AGENCY" "trip page|$TRIP|$AGENCY"
       "console queue|/console|$EXPERT" "case page|$CASE|$EXPERT"
       "queue column|/console/queue-list?current=${CASE##*/}|$EXPERT")
for entry in "${PAGES[@]}"; do
  IFS='|' read -r name path session <<< "$entry"
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "onspot_session=$session" "$BASE$path")"
  if [ "$status" != 200 ]; then echo "bench-portal: $name ($path) answered $status" >&2; exit 1; fi
done
for think in "$THINK" 0; do
  if [ "$think" = 0 ]; then
    echo "== $LABEL, --scale $SCALE: $CONNECTIONS connections back to back, ${DURATION} s per page (ms)"
  else
    echo "== $LABEL, --scale $SCALE: $CONNECTIONS users reading ${think} ms between pages, ${DURATION} s per page (ms)"
  fi
  printf "%-34s %8s %8s %8s %9s %8s\n" page p50 p95 p99 "req/s" errors
  for entry in "${PAGES[@]}"; do
    IFS='|' read -r name path session <<< "$entry"
    printf "%-34s " "$name"
    SESSION="$session" THINK="$think" wrk -t2 -c "$CONNECTIONS" -d "${DURATION}s" -s "$WORK/report.lua" "$BASE$path" | tail -1
  done
done
