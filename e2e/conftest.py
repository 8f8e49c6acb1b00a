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
    """Meta's Graph API send endpoint on loopback: records each request as received, answers like WhatsApp (after
    `delay` seconds, as the real one takes a few milliseconds)."""

    def __init__(self, delay=0):
        import json
        self.requests = []
        outer = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body})
                n = len(outer.requests)
                time.sleep(delay)
                answer = json.dumps({"messaging_product": "whatsapp", "contacts": [{"input": "x", "wa_id": "x"}],
                                     "messages": [{"id": f"wamid.E2E{n}"}]}).encode()
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
    # The stand-ins (Graph, the agencies' webhook receiver) listen on loopback, which outgoing requests refuse otherwise.
    env = dict(os.environ, ONSPOT_PUBLIC_URL=f"http://127.0.0.1:{port}", ONSPOT_OUTGOING_LOOPBACK="allow", **env_extra)
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


class StripeStandIn(LoopbackHTTP):
    """Stripe's PaymentIntents and Refunds API on loopback: form-encoded requests with a bearer key and an
    Idempotency-Key, Stripe's JSON answers and card errors, then the signed `payment_intent.succeeded` event posted
    to the server's webhook as Stripe does, a moment after the answer."""

    secret_key = "sk_test_e2e_standin"
    webhook_secret = "whsec_e2e_standin"

    def __init__(self):
        import hashlib
        import hmac
        import json
        import urllib.parse
        self.requests = []
        self.events = []
        self.webhook_url = None
        self.answers = {}
        outer = self

        def send_event(event):
            body = json.dumps(event).encode()
            t = str(int(time.time()))
            signature = hmac.new(outer.webhook_secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
            request = urllib.request.Request(outer.webhook_url, data=body, method="POST",
                                             headers={"Content-Type": "application/json", "Stripe-Signature": f"t={t},v1={signature}"})
            time.sleep(0.3)
            with urllib.request.urlopen(request, timeout=10) as response:
                outer.events.append({"type": event["type"], "status": response.status})

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                form = dict(urllib.parse.parse_qsl(body))
                key = self.headers.get("Idempotency-Key")
                outer.requests.append({"path": self.path, "form": form, "idempotency_key": key,
                                       "authorization": self.headers.get("Authorization")})
                if self.headers.get("Authorization") != f"Bearer {outer.secret_key}":
                    return self.answer(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
                if (self.path, key) in outer.answers:
                    return self.answer(*outer.answers[(self.path, key)])
                n = len(outer.requests)
                metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
                if self.path == "/v1/payment_intents":
                    intent = {"id": f"pi_e2e{n}", "object": "payment_intent", "amount": int(form.get("amount", "0")),
                              "currency": form.get("currency"), "metadata": metadata}
                    if form.get("payment_method") == "pm_card_chargeDeclined":
                        result = (402, {"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined.",
                                                  "payment_intent": dict(intent, status="requires_payment_method")}})
                    else:
                        result = (200, dict(intent, status="succeeded", latest_charge=f"ch_e2e{n}"))
                        if outer.webhook_url:
                            event = {"id": f"evt_e2e{n}", "object": "event", "type": "payment_intent.succeeded",
                                     "created": int(time.time()), "livemode": False, "data": {"object": result[1]}}
                            threading.Thread(target=send_event, args=(event,), daemon=True).start()
                elif self.path == "/v1/refunds":
                    result = (200, {"id": f"re_e2e{n}", "object": "refund", "amount": int(form.get("amount", "0")),
                                    "payment_intent": form.get("payment_intent"), "status": "succeeded"})
                else:
                    result = (404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}})
                outer.answers[(self.path, key)] = result
                self.answer(*result)

            def answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.serve(Handler)


@pytest.fixture(scope="session")
def stripe():
    standin = StripeStandIn()
    yield standin
    standin.stop()


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
def demo_server(graph, smtp, stripe):
    proc, base = start_server(["--demo"], {"ONSPOT_GRAPH_URL": f"http://127.0.0.1:{graph.port}/v21.0",
                                           "ONSPOT_SMTP_HOST": "127.0.0.1", "ONSPOT_SMTP_PORT": str(smtp.port),
                                           "ONSPOT_STRIPE_URL": f"http://127.0.0.1:{stripe.port}",
                                           "ONSPOT_STRIPE_SECRET_KEY": stripe.secret_key,
                                           "ONSPOT_STRIPE_WEBHOOK_SECRET": stripe.webhook_secret,
                                           # Billing jobs every few seconds: a late registration's supplementary invoice
                                           # appears while the browser waits.
                                           "ONSPOT_SCHEDULED_WORK_SECONDS": "3"})
    stripe.webhook_url = base + "/webhooks/stripe"
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
