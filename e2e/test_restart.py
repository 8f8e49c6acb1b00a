"""Crash containment: the server runs under a supervisor that applies deploy/onspot.service's own settings
(Restart=always, RestartSec, SWIFT_BACKTRACE); a crash (SIGSEGV, as a Swift trap looks to the runtime) or a SIGKILL
is followed by a new process that answers /health and /ready within seconds, because the dying one frees the port
at once instead of symbolicating a backtrace."""
import os
import re
import signal
import subprocess
import threading
import time
import urllib.request

from conftest import ROOT, free_port

UNIT = os.path.join(ROOT, "deploy", "onspot.service")


def unit_settings():
    text = open(UNIT).read()
    env = dict(re.findall(r"^Environment=([A-Z_]+)=(.*)$", text, re.M))
    restart = re.search(r"^Restart=(\S+)$", text, re.M).group(1)
    delay = float(re.search(r"^RestartSec=(\d+)$", text, re.M).group(1))
    return env, restart, delay


class Supervisor:
    """What systemd does with the unit's Restart=always and RestartSec, for the test's own process."""

    def __init__(self, args, env, delay, log):
        self.args, self.env, self.delay, self.log = args, env, delay, log
        self.proc = None
        self.stopping = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping:
            self.proc = subprocess.Popen(self.args, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
            self.proc.wait()
            if self.stopping:
                return
            time.sleep(self.delay)

    def stop(self):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def answers(url):
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
    except OSError:
        return False


def wait_until(predicate, limit=60.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"not within {limit} s")


def test_a_crashed_or_killed_server_answers_again_within_seconds(tmp_path):
    env_unit, restart, delay = unit_settings()
    assert restart == "always"
    assert env_unit.get("SWIFT_BACKTRACE") == "enable=no", "a crash must not hold the port while a backtrace is written"
    binary = os.environ.get("ONSPOT_BINARY", os.path.join(ROOT, ".build", "debug", "onspot"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SWIFT_BACKTRACE")}
    unit_env = dict(base_env, **{k: v for k, v in env_unit.items() if k != "ONSPOT_MODE"})  # development mode: no SMTP or Stripe
    # With the unit's environment, and with none: `onspot serve` turns the backtracer off by itself when it is unset.
    for label, env in (("unit settings", unit_env), ("no SWIFT_BACKTRACE", base_env)):
        log = open(tmp_path / f"server-{len(label)}.log", "w")
        supervisor = Supervisor([binary, "serve", "--database", str(tmp_path / "onspot.sqlite"), "--hostname", "127.0.0.1",
                                 "--port", str(port)], env, delay, log)
        try:
            wait_until(lambda: answers(base + "/ready"), 120)
            for sig in (signal.SIGSEGV, signal.SIGKILL):
                old = supervisor.proc.pid
                os.kill(old, sig)
                seconds = wait_until(lambda: supervisor.proc.pid != old and answers(base + "/health"))
                wait_until(lambda: answers(base + "/ready"), 30)
                print(f"\n{label}, {signal.Signals(sig).name}: answering again after {seconds:.2f} s (restart delay {delay:.0f} s)")
                assert seconds < delay + 15, f"{seconds:.1f} s to answer again after {signal.Signals(sig).name} ({label})"
        finally:
            supervisor.stop()
