# Sourced by the webhook benchmarks. start_bench_server starts BIN on a fresh SQLite file in DIR on PORT (extra environment in
# BENCH_SERVER_ENV), stops it on exit, and adds the WhatsApp endpoint the load is signed for ('bench-secret').
# With DATABASE_URL set (PostgreSQL), start_bench_cluster starts WEB web processes (`serve --no-background`), one
# `onspot worker` and nginx in front of them (deploy/nginx/onspot-proxy.conf) on PORT instead.
sql() {
  if [ -n "${DATABASE_URL:-}" ]; then psql "$DATABASE_URL" -Atqc "$1"; else sqlite3 "$DB" "$1"; fi
}

start_bench_cluster() {
  local ports=() pids=() upstreams=""
  for n in $(seq 1 "${WEB:-1}"); do
    local port=$(( PORT + n ))
    env ${BENCH_SERVER_ENV:-} "$BIN" serve --no-background --hostname 127.0.0.1 --port "$port" > "$DIR/web-$n.log" 2>&1 &
    pids+=($!); ports+=("$port")
    # The first migrates the database; the others start once it is ready.
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
    upstreams="$upstreams server 127.0.0.1:$port;"
  done
  env ${BENCH_SERVER_ENV:-} "$BIN" worker > "$DIR/worker.log" 2>&1 &
  pids+=($!)
  mkdir -p "$DIR/nginx"
  cat > "$DIR/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx/body; proxy_temp_path $DIR/nginx/proxy; fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi; scgi_temp_path $DIR/nginx/scgi;
  upstream onspot_web { $upstreams keepalive 64; }
  server { listen 127.0.0.1:$PORT; include $PWD/deploy/nginx/onspot-proxy.conf; }
}
NGINX
  nginx -c "$DIR/nginx.conf" -p "$DIR/nginx" > "$DIR/nginx.log" 2>&1 &
  pids+=($!)
  CLUSTER_PIDS="${pids[*]}"
  trap 'kill $CLUSTER_PIDS 2>/dev/null || true; sleep 2; kill -9 $CLUSTER_PIDS 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  sql "INSERT INTO channel_endpoints (id, destination_id, channel, external_id, app_secret, active, created_at)
    SELECT gen_random_uuid(), id, 'whatsapp', '106540352242922', 'bench-secret', true, now() FROM destinations WHERE code = 'us-nyc';"
}

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
    PENDING=$(sql "SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL")
    [ "$PENDING" = "0" ] && break; sleep 1
  done
  STORED=$(sql "SELECT COUNT(*) FROM messages WHERE direction = 'inbound'")
  DISTINCT=$(sql "SELECT COUNT(DISTINCT provider_message_id) FROM messages WHERE direction = 'inbound'")
}
