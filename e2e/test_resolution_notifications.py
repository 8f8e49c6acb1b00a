"""At each resolution the agency is told: the expert resolves a traveller's case in the console, the agency's contact
receives the email through a real SMTP server, and the agency's webhook endpoint receives the signed case.resolved."""
import hashlib
import hmac
import json
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot
from test_console_live import sign_in


def test_resolution_reaches_the_agency_by_email_and_signed_webhook(demo_server, smtp, hooks, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    # The agency admin registers its webhook endpoint and keeps the secret shown once.
    sign_in(d, demo_server, "admin@horizon-demo.example")
    d.get(demo_server + "/agency-webhooks")
    d.find_element(By.ID, "f-url").send_keys(f"http://127.0.0.1:{hooks.port}/onspot")
    d.find_element(By.CSS_SELECTOR, "form[action='/agency-webhooks/endpoints'] button[type=submit]").click()
    secret = wait.until(EC.presence_of_element_located((By.ID, "new-webhook-secret"))).text
    assert secret.startswith("whs_")
    d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)

    # The expert resolves the Salvador traveller's case.
    sign_in(d, demo_server, "expert@onspot-demo.example")
    d.get(demo_server + "/console")
    # The demo's case of the traveller whose flight to Salvador was cancelled (the demo also has a case at Salvador).
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), "mon vol pour Salvador"))
    d.find_element(By.XPATH, "//table[@id='queue']//tr[contains(., 'mon vol pour Salvador')]//a").click()
    wait.until(EC.presence_of_element_located((By.ID, "summary")))
    summary = "Réacheminée sur le vol LA 3310 de 16 h, hôtel pris en charge par la compagnie."
    d.find_element(By.ID, "summary").send_keys(summary)
    d.find_element(By.ID, "resolve").click()
    wait.until(EC.url_to_be(demo_server + "/console"))
    shot(d, "15-case-resolved")

    deadline = time.time() + 20
    while time.time() < deadline and not (any(summary in m["body"] for m in smtp.messages) and hooks.hits):
        time.sleep(0.2)
    mail = next(m for m in smtp.messages if summary in m["body"])
    assert mail["to"] == ["contact@horizon-demo.example"]
    assert mail["subject"].startswith("Dossier résolu"), mail["subject"]
    hit = next(h for h in hooks.hits if json.loads(h["body"])["type"] == "case.resolved")
    timestamp = hit["headers"]["OnSpot-Timestamp"]
    expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + hit["body"], hashlib.sha256).hexdigest()
    assert hit["headers"]["OnSpot-Signature"] == expected, "signed with the endpoint's secret over timestamp.body"
    assert hit["headers"].get("OnSpot-Delivery")
    assert json.loads(hit["body"])["data"]["summary"] == summary
