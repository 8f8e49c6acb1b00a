"""Issue 13, items 3 and 7, in a real browser: an expert replies inside WhatsApp's 24-hour window; the window closes by
the clock while the page is open and the reply box becomes a template picker whose variables are filled from the case;
the template reaches the Graph API stand-in in the traveller's language. At resolution the traveller is asked for a
rating with buttons; their tap, posted as Meta posts it, lands in the agency's report."""
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
from test_console_live import PHONE_NUMBER_ID, SECRET, add_whatsapp_endpoint, sign_in

JULES = "33612345611"   # demo traveller on the road (trip HZ-2611), writes in French
CHLOE = "33612345610"   # demo traveller on the road (trip HZ-2610)


def post_message(base, sender, fields, timestamp=None):
    """A WhatsApp message of any type from `sender`, signed as Meta signs it."""
    message = {"from": sender, "id": "wamid." + uuid.uuid4().hex, "timestamp": str(int(timestamp or time.time()))}
    message.update(fields)
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "E2E"}, "wa_id": sender}], "messages": [message]}}]}]}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(base + "/webhooks/whatsapp", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    assert urllib.request.urlopen(req, timeout=5).status == 200


def graph_request(graph, predicate, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for r in list(graph.requests):
            body = json.loads(r["body"])
            if predicate(body):
                return body
        time.sleep(0.2)
    raise AssertionError([json.loads(r["body"]) for r in graph.requests])


def open_case_of(d, base, marker):
    wait = WebDriverWait(d, 20)
    d.get(base + "/console")
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), marker))
    d.find_element(By.XPATH, f"//table[@id='queue']//tr[contains(., '{marker}')]//a").click()
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))


def test_reply_in_the_window_then_a_template_once_the_clock_closes_it(demo_server, graph, browser):
    base, d = demo_server, browser
    add_whatsapp_endpoint(d, base)
    # Jules's message is 24 hours old less 50 seconds: the window closes while the expert works.
    marker = "Clé de la voiture perdue " + uuid.uuid4().hex[:6]
    post_message(base, JULES, {"type": "text", "text": {"body": marker}}, timestamp=time.time() - 86400 + 50)
    sign_in(d, base, "expert@onspot-demo.example")
    open_case_of(d, base, marker)
    wait = WebDriverWait(d, 90)
    assert d.find_element(By.ID, "window-state").get_attribute("data-mode") == "free"
    assert d.find_element(By.ID, "reply-text").is_displayed()
    reply = "Je contacte l'agence de location, un double arrive."
    d.find_element(By.ID, "reply-text").send_keys(reply)
    d.find_element(By.ID, "send-reply").click()
    graph_request(graph, lambda b: b.get("to") == JULES and b.get("text", {}).get("body") == reply)

    # The clock closes the window: the free text box gives way to the template picker, without a reload.
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "window-state"), "data-mode", "template"))
    assert not d.find_element(By.ID, "reply-text").is_displayed()
    assert d.find_element(By.ID, "template-reply").is_displayed()
    Select(d.find_element(By.ID, "template")).select_by_value("onspot_case_update")
    shown = [f.get_attribute("data-template") for f in d.find_elements(By.CSS_SELECTOR, "fieldset.template-fields") if f.is_displayed()]
    assert shown == ["onspot_case_update"], shown
    first_name = d.find_element(By.ID, "tp-onspot_case_update-0")
    assert first_name.get_attribute("value") == "Jules", "the traveller's first name is read from the case"
    update = "le double de la clé vous attend au comptoir Alamo"
    d.find_element(By.ID, "tp-onspot_case_update-1").send_keys(update)
    preview = d.find_element(By.ID, "template-preview").text
    assert preview.startswith("Bonjour Jules, du nouveau sur votre demande : " + update), preview
    shot(d, "23-console-template-picker")
    d.find_element(By.ID, "send-template").click()
    sent = graph_request(graph, lambda b: b.get("to") == JULES and b.get("type") == "template")
    assert sent["template"]["name"] == "onspot_case_update"
    assert sent["template"]["language"] == {"code": "fr"}
    assert [p["text"] for p in sent["template"]["components"][0]["parameters"]] == ["Jules", update]
    WebDriverWait(d, 10).until(EC.text_to_be_present_in_element((By.ID, "thread"), update))


def test_the_travellers_rating_reaches_the_agencys_report(demo_server, graph, browser):
    base, d = demo_server, browser
    add_whatsapp_endpoint(d, base)
    marker = "Navette introuvable " + uuid.uuid4().hex[:6]
    post_message(base, CHLOE, {"type": "text", "text": {"body": marker}})
    sign_in(d, base, "expert@onspot-demo.example")
    open_case_of(d, base, marker)
    d.find_element(By.ID, "summary").send_keys("Navette retrouvée au terminal 2.")
    d.find_element(By.ID, "resolve").click()
    WebDriverWait(d, 10).until(EC.url_to_be(base + "/console"))
    asked = graph_request(graph, lambda b: b.get("to") == CHLOE and b.get("type") == "interactive")
    buttons = asked["interactive"]["action"]["buttons"]
    assert [b["reply"]["title"] for b in buttons] == ["😀 Très satisfait", "😐 Moyennement", "🙁 Pas satisfait"]
    happy = buttons[0]["reply"]
    # The traveller taps "very happy": Meta posts the button reply.
    post_message(base, CHLOE, {"type": "interactive", "context": {"id": "wamid.E2E1"},
                               "interactive": {"type": "button_reply", "button_reply": happy}})
    graph_request(graph, lambda b: b.get("to") == CHLOE and b.get("text", {}).get("body", "").startswith("Merci pour votre réponse"))

    d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)
    sign_in(d, base, "admin@horizon-demo.example")
    d.get(base + "/reports")
    row = d.find_element(By.CSS_SELECTOR, "#satisfaction tr[data-destination='New York']")
    assert int(row.find_element(By.CSS_SELECTOR, ".answers").text) >= 1
    assert row.find_element(By.CSS_SELECTOR, ".satisfied").text.endswith("%")
    shot(d, "24-agency-report-satisfaction")
