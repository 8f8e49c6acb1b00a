"""SIGKILL during a load of WhatsApp webhooks: every message that got a 200 is stored exactly once and processed
after the restart; nothing acknowledged is lost, nothing is stored twice."""
import hashlib
import hmac
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

from conftest import ROOT, free_port

SECRET = "crash-test-secret"
PHONE_NUMBER_ID = "106540352242922"


def start(db, port):
    binary = os.environ.get("ONSPOT_BINARY", os.path.join(ROOT, ".build", "debug", "onspot"))
    log = open(db + f".{port}.log", "w")
    proc = subprocess.Popen([binary, "serve", "--database", db, "--hostname", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"})
    for _ in range(300):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(open(db + f".{port}.log").read()[-2000:])


def payload(message_id, i):
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "1", "phone_number_id": PHONE_NUMBER_ID},
        "messages": [{"from": "4915100000000", "id": message_id, "timestamp": str(int(time.time())), "type": "text",
                      "text": {"body": f"load {i}"}}]}}]}]}).encode()


def post(port, body):
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/whatsapp", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    try:
        return urllib.request.urlopen(req, timeout=5).status
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def test_sigkill_during_load_loses_and_duplicates_nothing(tmp_path):
    db = str(tmp_path / "crash.sqlite")
    port = free_port()
    server = start(db, port)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO channel_endpoints (id, destination_id, channel, external_id, app_secret, active, created_at) "
                "SELECT ?, id, 'whatsapp', ?, ?, 1, ? FROM destinations WHERE code = 'us-nyc'",
                (str(uuid.uuid4()).upper(), PHONE_NUMBER_ID, SECRET, time.time()))
    con.commit()

    ids = [f"wamid.crash-{uuid.uuid4().hex}" for _ in range(1500)]
    acknowledged = []
    lock = threading.Lock()
    cursor = iter(enumerate(ids))

    def worker():
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                return
            i, message_id = item
            if post(port, payload(message_id, i)) == 200:
                with lock:
                    acknowledged.append(message_id)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    # Kill the server in the middle of the load, without any chance to clean up.
    while True:
        with lock:
            if len(acknowledged) >= 300:
                break
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    for t in threads:
        t.join()
    assert 300 <= len(acknowledged) < len(ids), f"the kill should land mid-load ({len(acknowledged)} acknowledged)"

    # Restart on the same file: pending events are processed, Meta's retries of acknowledged ones change nothing.
    port2 = free_port()
    server = start(db, port2)
    try:
        for message_id in acknowledged[:20]:
            assert post(port2, payload(message_id, -1)) == 200
        deadline = time.time() + 60
        while time.time() < deadline:
            pending = sqlite3.connect(db).execute("SELECT COUNT(*) FROM inbound_events WHERE processed_at IS NULL").fetchone()[0]
            if pending == 0:
                break
            time.sleep(0.5)
        con = sqlite3.connect(db)
        assert pending == 0, f"{pending} events left unprocessed"
        stored = dict(con.execute("SELECT provider_message_id, COUNT(*) FROM messages WHERE direction = 'inbound' "
                                  "GROUP BY provider_message_id").fetchall())
        missing = [m for m in acknowledged if m not in stored]
        assert not missing, f"{len(missing)} acknowledged messages lost, e.g. {missing[:3]}"
        assert all(count == 1 for count in stored.values()), "a message was stored twice"
        print(f"crash test: {len(acknowledged)} acknowledged before SIGKILL, all stored once; "
              f"{len(stored) - len(acknowledged)} more stored whose 200 was lost in the kill")
    finally:
        server.terminate()
        server.wait(timeout=10)
