"""A WhatsApp message posted to the webhook appears in the expert console without reload; the expert's reply
reaches the Graph API stand-in exactly in Meta's format; the case is resolved."""
import hashlib
import hmac
import json
import time
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import shot

SECRET = "e2e-app-secret"
PHONE_NUMBER_ID = "106540352242922"


def sign_in(d, base, email):
    d.get(base + "/login")
    d.find_element(By.ID, "f-email").send_keys(email)
    d.find_element(By.ID, "f-password").send_keys("onspot-demo-2026")
    d.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()
    # Wait for the sign-in to land before navigating, or the navigation cancels it.
    WebDriverWait(d, 10).until(lambda drv: "/login" not in drv.current_url)


def post_whatsapp(base, text, sender="4915112349999"):
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "E2E Traveller"}, "wa_id": sender}],
        "messages": [{"from": sender, "id": "wamid." + uuid.uuid4().hex, "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": text}}]}}]}]}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(base + "/webhooks/whatsapp", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    assert urllib.request.urlopen(req, timeout=5).status == 200


def add_whatsapp_endpoint(d, base, screenshot=None):
    """An OnSpot admin configures New York's WhatsApp number, then signs out."""
    wait = WebDriverWait(d, 15)
    sign_in(d, base, "admin@onspot-demo.example")
    d.get(base + "/admin/destinations")
    if screenshot:
        shot(d, screenshot)
    d.find_element(By.LINK_TEXT, "New York").click()
    listed = d.find_elements(By.ID, "channel-endpoints")
    if not (listed and PHONE_NUMBER_ID in listed[0].text):  # another test of this session may have added it
        Select(d.find_element(By.ID, "f-channel")).select_by_value("whatsapp")
        d.find_element(By.ID, "f-externalID").send_keys(PHONE_NUMBER_ID)
        d.find_element(By.ID, "f-appSecret").send_keys(SECRET)
        d.find_element(By.ID, "f-accessToken").send_keys("EAAG-e2e-token")
        d.find_element(By.CSS_SELECTOR, "form[action$='/endpoints'] button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel-endpoints"), PHONE_NUMBER_ID))
    assert SECRET not in d.page_source, "the secret is never shown back"
    d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)


def test_message_to_console_and_reply_to_graph(demo_server, graph, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    add_whatsapp_endpoint(d, demo_server, screenshot="09-admin-destinations")

    # The expert opens the console; a message arrives while the page is open.
    sign_in(d, demo_server, "expert@onspot-demo.example")
    d.get(demo_server + "/console")
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
    marker = "Mon vol est annulé " + uuid.uuid4().hex[:6]
    post_whatsapp(demo_server, marker)
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), marker))
    shot(d, "10-console-live")

    # The expert opens the case and answers; the reply reaches the Graph API as Meta documents it.
    row = d.find_element(By.XPATH, f"//table[@id='queue']//tr[contains(., '{marker}')]//a")
    row.click()
    wait.until(EC.presence_of_element_located((By.ID, "reply-text")))
    reply = "Nous vous replaçons sur le vol de 18h."
    d.find_element(By.ID, "reply-text").send_keys(reply)
    d.find_element(By.ID, "send-reply").click()
    deadline = time.time() + 15
    sent = None
    while time.time() < deadline and sent is None:
        for r in graph.requests:
            if json.loads(r["body"]).get("text", {}).get("body") == reply:
                sent = r
        time.sleep(0.2)
    assert sent is not None, graph.requests
    assert sent["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert sent["authorization"] == "Bearer EAAG-e2e-token"
    assert json.loads(sent["body"]) == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "4915112349999",
                                        "type": "text", "text": {"preview_url": False, "body": reply}}
    shot(d, "11-console-case")

    d.find_element(By.ID, "summary").send_keys("Rebooked on the 18:00 flight.")
    d.find_element(By.ID, "resolve").click()
    wait.until(EC.url_to_be(demo_server + "/console"))
    assert marker not in d.find_element(By.ID, "queue").text
