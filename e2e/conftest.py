"""Starts a real `onspot serve` on a fresh SQLite database and a headless Chromium driven by Selenium."""
import os
import socket
import subprocess
import tempfile
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


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--lang=fr-FR"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.implicitly_wait(5)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
