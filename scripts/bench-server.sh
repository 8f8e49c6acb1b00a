# Sourced by the webhook benchmarks. start_bench_server starts BIN on a fresh SQLite file in DIR on PORT (extra environment in
# BENCH_SERVER_ENV), stops it on exit, and adds the WhatsApp endpoint the load is signed for ('bench-secret').
start_bench_server() {
  env ${BENCH_SERVER_ENV:-} "$BIN" serve --database "$DB" --hostname 127.0.0.1 --port "$PORT" > "$DIR/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; sleep 2; kill -9 $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  sqlite3 "$DB" "INSERT INTO channel_endpoints (id, destination_id, channel, external_id, app_secret, active, created_at)
    SELECT upper(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))),2) || '-a' || substr(lower(hex(randomblob(2))),2) || '-' || lower(hex(randomblob(6)))),
           id, 'whatsapp', '106540352242922', 'bench-secret', 1, strftime('%s','now') FROM destinations WHERE code = 'us-nyc';"
}

# Waits up to $1 seconds for processing to catch up, then counts: PENDING events, STORED inbound messages, DISTINCT
# provider ids among them.
count_after_processing() {
  for _ in $(seq 1 "$1"); do
    PENDING=$(sqlite3 "$DB" "SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL")
    [ "$PENDING" = "0" ] && break; sleep 1
  done
  STORED=$(sqlite3 "$DB" "SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
  DISTINCT=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT provider_message_id) FROM messages WHERE direction = 'inbound'")
}
