"""Issue 14: a stand-in weather feed publishes a hurricane warning whose polygon covers Miami; within one poll the
expert console's banner and the agency's dashboard show it and the WhatsApp stand-in receives the traveller's message;
a CAP cancel removes the banner."""
import datetime
import json
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import LoopbackHTTP, QuietHandler, ROOT, shot, start_server
from test_console_live import sign_in

FIXTURES = os.path.join(ROOT, "Tests", "OnSpotServerTests", "Fixtures", "alerts")
MIAMI_LINE = "106540352249999"


class FeedStandIn(LoopbackHTTP):
    """api.weather.gov/alerts/active on loopback: the current document with an ETag, 304 to a request naming it."""

    def __init__(self):
        self.body, self.version, self.requests = b'{"type":"FeatureCollection","features":[]}', 0, []
        outer = self

        class Handler(QuietHandler):
            def do_GET(self):
                outer.requests.append({k.lower(): v for k, v in self.headers.items()})
                etag = f'"v{outer.version}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/geo+json")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

        self.serve(Handler)

    def publish(self, name):
        """A recorded NWS document, its times moved to now so that it is in force whenever the suite runs."""
        document = json.load(open(os.path.join(FIXTURES, name)))
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        for feature in document["features"]:
            p = feature["properties"]
            for key, delta in [("sent", -1), ("effective", -1), ("onset", 0), ("expires", 48), ("ends", 48)]:
                if p.get(key):
                    p[key] = (now + datetime.timedelta(hours=delta)).isoformat()
            for reference in p.get("references", []):
                reference["sent"] = self.sent
        self.sent = document["features"][0]["properties"]["sent"] if not hasattr(self, "sent") else self.sent
        self.body = json.dumps(document).encode()
        self.version += 1


def test_hurricane_warning_banner_dashboard_message_and_cancel(graph, browser):
    feed = FeedStandIn()
    proc, base = start_server(["--demo"], {"ONSPOT_GRAPH_URL": f"http://127.0.0.1:{graph.port}/v21.0",
                                           "ONSPOT_ALERT_FEEDS": f"nws=http://127.0.0.1:{feed.port}/feed",
                                           "ONSPOT_ALERT_POLL_SECONDS": "5"})
    try:
        d = browser
        wait = WebDriverWait(d, 30)
        # An OnSpot admin gives Miami its WhatsApp line, and finds the feed on the alerts page.
        sign_in(d, base, "admin@onspot-demo.example")
        d.get(base + "/admin/destinations")
        d.find_element(By.LINK_TEXT, "Miami & Florida Keys").click()
        Select(d.find_element(By.ID, "f-channel")).select_by_value("whatsapp")
        d.find_element(By.ID, "f-externalID").send_keys(MIAMI_LINE)
        d.find_element(By.ID, "f-appSecret").send_keys("e2e-app-secret")
        d.find_element(By.ID, "f-accessToken").send_keys("EAAG-e2e-token")
        d.find_element(By.CSS_SELECTOR, "form[action$='/endpoints'] button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "channel-endpoints"), MIAMI_LINE))
        d.get(base + "/admin/alerts")
        wait.until(EC.text_to_be_present_in_element((By.ID, "alert-feeds"), f"127.0.0.1:{feed.port}/feed"))
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)

        # The feed publishes the warning; within a poll the traveller in Miami gets the message on WhatsApp.
        before = len(graph.requests)
        feed.publish("nws-hurricane-florida.json")
        deadline = time.time() + 30
        told = []
        while time.time() < deadline and not told:
            told = [r for r in graph.requests[before:] if r["path"] == f"/v21.0/{MIAMI_LINE}/messages"]
            time.sleep(0.5)
        assert told, "the WhatsApp stand-in received the traveller's message"
        # A template outside WhatsApp's 24-hour window, free text inside it (a demo traveller who wrote today).
        for request in told:
            message = json.loads(request["body"])
            if message["type"] == "template":
                assert message["template"]["name"] == "onspot_weather_alert"
                parameters = [p["text"] for p in message["template"]["components"][0]["parameters"]]
                assert "Hurricane Warning" in parameters[1] and parameters[3] == "911"
            else:
                assert "Hurricane Warning" in message["text"]["body"] and "911" in message["text"]["body"]
        assert feed.requests[0].get("user-agent", "").startswith("OnSpotConnect"), "NWS requires a User-Agent"

        # The expert's console shows the banner over Miami.
        sign_in(d, base, "expert@onspot-demo.example")
        d.get(base + "/console")
        banner = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#alert-banners .alert-banner")))
        assert "Miami" in banner.text
        shot(d, "40-console-hurricane-banner")
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)

        # The agency's dashboard lists it, in French.
        sign_in(d, base, "admin@horizon-demo.example")
        d.get(base + "/")
        panel = wait.until(EC.presence_of_element_located((By.ID, "dashboard-alerts")))
        assert "Alertes en cours" in panel.text and "Hurricane Warning" in panel.text
        shot(d, "41-dashboard-alerts")
        # Its admin sends the alert emails to the duty desk, flights only; the traveller's form asks for consent.
        d.get(base + "/alerts")
        form = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#alert-preferences form")))
        form.find_element(By.NAME, "email").send_keys("permanence@horizon-demo.example")
        weather = form.find_element(By.NAME, "weather")
        if weather.is_selected():
            weather.click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Préférences d'alerte enregistrées."))
        saved = d.find_element(By.CSS_SELECTOR, "#alert-preferences form")
        assert saved.find_element(By.NAME, "email").get_attribute("value") == "permanence@horizon-demo.example"
        assert saved.find_element(By.NAME, "flights").is_selected() and not saved.find_element(By.NAME, "weather").is_selected()
        d.get(base + "/trips/new")
        box = d.find_element(By.NAME, "travellers[0][consentAlerts]")
        assert not box.is_selected(), "opt-in: never ticked in advance"
        assert "Accepte les alertes sur WhatsApp ou Messenger" in box.find_element(By.XPATH, "..").text
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        WebDriverWait(d, 10).until(lambda drv: "/login" in drv.current_url)

        # The cancel: within a poll the banner is gone.
        feed.publish("nws-hurricane-florida-cancel.json")
        sign_in(d, base, "expert@onspot-demo.example")
        deadline = time.time() + 30
        while time.time() < deadline:
            d.get(base + "/console")
            if not d.find_elements(By.CSS_SELECTOR, "#alert-banners .alert-banner"):
                break
            time.sleep(1)
        d.implicitly_wait(0)
        assert not d.find_elements(By.CSS_SELECTOR, "#alert-banners .alert-banner"), "a CAP cancel removes the banner"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        feed.stop()
