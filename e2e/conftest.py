"""Starts a real `onspot serve` on a fresh SQLite database and a headless Chromium driven by Selenium."""
import http.server
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCREENSHOTS = os.path.join(ROOT, "e2e", "screenshots")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("ONSPOT_BINARY", os.path.join(ROOT, ".build", "debug", "onspot"))
    assert os.path.exists(binary), f"build the server first: {binary}"
    port = free_port()
    data = tempfile.mkdtemp(prefix="onspot-e2e-")
    env = dict(os.environ, ONSPOT_PUBLIC_URL=f"http://127.0.0.1:{port}")
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--database", os.path.join(data, "onspot.sqlite"),
                             "--hostname", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("server did not start: " + open(os.path.join(data, "server.log")).read()[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=10)


class QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LoopbackHTTP:
    """An HTTP stand-in on a free loopback port, served from a daemon thread."""

    def serve(self, handler):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class GraphStandIn(LoopbackHTTP):
    """Meta's Graph API send endpoint on loopback: records each request as received, answers like WhatsApp."""

    def __init__(self):
        import json
        self.requests = []
        outer = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body})
                answer = json.dumps({"messaging_product": "whatsapp", "contacts": [{"input": "x", "wa_id": "x"}],
                                     "messages": [{"id": f"wamid.E2E{len(outer.requests)}"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.serve(Handler)


@pytest.fixture(scope="session")
def graph():
    standin = GraphStandIn()
    yield standin
    standin.stop()


def start_server(extra_args, env_extra):
    binary = os.environ.get("ONSPOT_BINARY", os.path.join(ROOT, ".build", "debug", "onspot"))
    port = free_port()
    data = tempfile.mkdtemp(prefix="onspot-e2e-")
    env = dict(os.environ, ONSPOT_PUBLIC_URL=f"http://127.0.0.1:{port}", **env_extra)
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", *extra_args, "--database", os.path.join(data, "onspot.sqlite"),
                             "--hostname", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/health", timeout=1).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start: " + open(os.path.join(data, "server.log")).read()[-2000:])


class SMTPStandIn:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        outer = self
        self.messages = []

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                from email import policy
                message = email.message_from_bytes(envelope.content, policy=policy.default)
                outer.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                       "subject": str(message["subject"]), "body": message.get_content()})
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.port = self.controller.port

    def stop(self):
        self.controller.stop()


class HookReceiver(LoopbackHTTP):
    """An agency's webhook endpoint on loopback: records each delivery's headers and body, answers 200."""

    def __init__(self):
        self.hits = []
        outer = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.hits.append({"headers": dict(self.headers), "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.serve(Handler)


@pytest.fixture(scope="session")
def smtp():
    standin = SMTPStandIn()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def hooks():
    receiver = HookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def demo_server(graph, smtp):
    proc, base = start_server(["--demo"], {"ONSPOT_GRAPH_URL": f"http://127.0.0.1:{graph.port}/v21.0",
                                           "ONSPOT_SMTP_HOST": "127.0.0.1", "ONSPOT_SMTP_PORT": str(smtp.port)})
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def make_driver():
    """A headless Chromium in French; tests that need two people at once start a second one."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--lang=fr-FR"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(5)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    return driver


@pytest.fixture()
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def shot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
