"""Several OnSpot processes on one PostgreSQL behind nginx (issue 20): two `serve --no-background` and a `worker`.

Webhooks posted through nginx (to either web process) are processed by the worker and appear live in a console
connected to one of the web processes; 1,000 replies queued at once reach the Graph stand-in once each while the worker
is stopped (SIGTERM) and later killed (SIGKILL) mid-run and replaced; a web process told to stop reports not ready,
drains, and nginx keeps answering through the other."""
import concurrent.futures
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, GraphStandIn, free_port, shot
from test_console_live import add_whatsapp_endpoint, post_whatsapp, sign_in

BINARY = os.environ.get("ONSPOT_BINARY", os.path.join(ROOT, ".build", "debug", "onspot"))


def as_postgres(args):
    return (["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []) + args


@pytest.fixture(scope="module")
def postgres():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        pytest.fail("PostgreSQL is not installed: e2e/run.sh installs it from Debian")
    bindir = os.path.dirname(candidates[-1])
    data = tempfile.mkdtemp(prefix="onspot-e2e-pg-")
    if os.getuid() == 0:
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(as_postgres([f"{bindir}/initdb", "-D", data, "-U", "onspot", "--auth=trust", "-E", "UTF8"]),
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(as_postgres([f"{bindir}/pg_ctl", "-D", data, "-o",
                                f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off",
                                "-l", f"{data}/log", "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
    subprocess.run([f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "onspot", "onspot_e2e"], check=True)

    def sql(query):
        out = subprocess.run([f"{bindir}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "onspot", "-d", "onspot_e2e",
                              "-Atc", query], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    yield f"postgres://onspot@127.0.0.1:{port}/onspot_e2e?sslmode=disable", sql
    subprocess.run(as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"]), stdout=subprocess.DEVNULL)
    shutil.rmtree(data, ignore_errors=True)


class Cluster:
    """nginx, the web processes and the workers, with their logs in one folder."""

    def __init__(self, database_url, graph):
        self.dir = tempfile.mkdtemp(prefix="onspot-e2e-cluster-")
        self.nginx_port = free_port()
        self.base = f"http://127.0.0.1:{self.nginx_port}"
        self.env = dict(os.environ, DATABASE_URL=database_url, ONSPOT_PUBLIC_URL=self.base,
                        ONSPOT_GRAPH_URL=f"http://127.0.0.1:{graph.port}/v21.0", ONSPOT_OUTGOING_LOOPBACK="allow",
                        ONSPOT_LOG_FORMAT="json", ONSPOT_TRUSTED_PROXIES="127.0.0.1", ONSPOT_DRAIN_SECONDS="3")
        self.procs = []

    def log(self, name):
        return os.path.join(self.dir, f"{name}.log")

    def start(self, name, args):
        proc = subprocess.Popen([BINARY, *args], env=self.env, stdout=open(self.log(name), "w"), stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def web(self, name, port, extra=()):
        proc = self.start(name, ["serve", "--no-background", *extra, "--hostname", "127.0.0.1", "--port", str(port)])
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2).status == 200:
                    return proc
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{name} did not become ready: " + open(self.log(name)).read()[-3000:])

    def nginx(self, ports):
        root_user = "user root;" if os.getuid() == 0 else ""
        upstreams = "\n".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""{root_user}
daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    upstream onspot_web {{
        {upstreams}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        include {ROOT}/deploy/nginx/onspot-proxy.conf;
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proc = subprocess.Popen([nginx, "-c", conf, "-p", self.dir], stdout=open(self.log("nginx"), "w"),
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/health", timeout=2).status == 200:
                    return proc
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not start: " + open(os.path.join(self.dir, "nginx-error.log")).read()[-2000:])

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(postgres):
    url, _ = postgres
    graph = GraphStandIn(delay=0.004)
    cluster = Cluster(url, graph)
    cluster.graph = graph
    # The first web process migrates and seeds the demo; the others start on the migrated database.
    web_ports = [free_port(), free_port()]
    cluster.webs = [cluster.web("web-1", web_ports[0], ["--demo"]), cluster.web("web-2", web_ports[1])]
    cluster.web_ports = web_ports
    cluster.worker = cluster.start("worker-1", ["worker"])
    cluster.nginx(web_ports)
    yield cluster
    cluster.stop()
    graph.stop()


def wait_until(predicate, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(message())


def test_live_events_and_exactly_once_replies_across_processes(cluster, postgres, browser):
    _, sql = postgres
    base = cluster.base
    d = browser
    wait = WebDriverWait(d, 20)
    add_whatsapp_endpoint(d, base)

    # The expert's console holds its WebSocket through nginx on one of the two web processes.
    sign_in(d, base, "expert@onspot-demo.example")
    d.get(base + "/console")
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
    d.execute_script("window.__notReloaded = true;")

    # Six travellers write; nginx spreads the webhooks over both web processes, the worker processes them, and each
    # message reaches the console live, whichever process holds its socket.
    texts = [f"Multi-server message {n} {os.urandom(3).hex()}" for n in range(6)]
    for n, text in enumerate(texts):
        post_whatsapp(base, text, sender=f"49151123470{n:02d}")
    for text in texts:
        wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), text))
    assert d.execute_script("return window.__notReloaded === true;"), "the messages arrived without a reload"
    shot(d, "20-several-servers-console")

    # 1,000 replies queued at once on one case, through nginx, by eight clients.
    link = d.find_element(By.XPATH, f"//table[@id='queue']//tr[contains(., '{texts[0]}')]//a")
    case_path = "/" + link.get_attribute("href").split("/", 3)[3]
    d.get(base + case_path)
    wait.until(EC.presence_of_element_located((By.ID, "reply-text")))
    csrf = d.find_element(By.CSS_SELECTOR, "meta[name='csrf-token']").get_attribute("content")
    cookie = d.get_cookie("onspot_session")["value"]

    def reply(n):
        req = urllib.request.Request(base + case_path + "/messages", data=json.dumps({"text": f"reply {n:04d}"}).encode(),
                                     method="POST", headers={"Content-Type": "application/json", "X-CSRF-Token": csrf,
                                                             "Cookie": f"onspot_session={cookie}"})
        return urllib.request.urlopen(req, timeout=30).status

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(reply, range(1000)))
    assert statuses.count(202) == 1000, {s: statuses.count(s) for s in set(statuses)}
    graph = cluster.graph

    def sent():
        bodies = [json.loads(r["body"]) for r in list(graph.requests)]
        return [t for t in (b.get("text", {}).get("body") for b in bodies) if t and t.startswith("reply ")]

    # Stopped gently mid-run: what it claimed and had not sent goes back at once; nothing is sent twice.
    wait_until(lambda: len(sent()) >= 200, 120, lambda: f"only {len(sent())} replies sent")
    cluster.worker.send_signal(signal.SIGTERM)
    assert cluster.worker.wait(timeout=20) == 0
    at_stop = sent()
    assert len(at_stop) == len(set(at_stop)), "a gentle stop sends nothing twice"
    cluster.worker = cluster.start("worker-2", ["worker"])

    # Killed mid-run: its claimed rows come back after their lease; at most the one reply on the wire at the kill can
    # go twice (Meta's send API takes no idempotency key), and nothing is lost.
    wait_until(lambda: len(sent()) >= len(at_stop) + 200, 120, lambda: f"only {len(sent())} replies sent")
    cluster.worker.kill()
    cluster.worker.wait(timeout=10)
    cluster.worker = cluster.start("worker-3", ["worker"])
    wait_until(lambda: len(set(sent())) >= 1000, 180,
               lambda: f"{len(set(sent()))} distinct replies of 1000; outbox: {sql('SELECT status, count(*) FROM outbox GROUP BY status')}")
    time.sleep(3)
    final = sent()
    assert set(final) == {f"reply {n:04d}" for n in range(1000)}, "every reply reached Meta"
    assert len(final) - len(set(final)) <= 1, f"{len(final) - len(set(final))} replies went twice"
    assert sql("SELECT count(*) FROM outbox WHERE status <> 'sent'") == "0"

    # Logs are JSON lines; a web process names the request of what it logged.
    for name in ["web-1", "web-2", "worker-1", "worker-3"]:
        for line in open(cluster.log(name)):
            if line.startswith("{"):
                json.loads(line)

    # A web process told to stop reports not ready while it drains, then exits; nginx answers through the other.
    stopping, port = cluster.webs[0], cluster.web_ports[0]
    stopping.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2)
    assert refused.value.code == 503
    assert refused.value.read() == b"stopping"
    assert stopping.wait(timeout=20) == 0
    assert "Could not stop HTTP server" not in open(cluster.log("web-1")).read(), "open consoles did not hold the stop"
    for _ in range(6):
        assert urllib.request.urlopen(base + "/login", timeout=5).status == 200
    post_whatsapp(base, "After one web process stopped", sender="4915112347099")
    wait_until(lambda: d.get(base + "/console") or "After one web process stopped" in d.find_element(By.ID, "queue").text,
               30, lambda: "the message posted after the stop never reached the console")
