"""Issue 15 in the browser: an agency admin registers a traveller, downloads everything held on them as a zip
(export.json and their attachments), then erases them: the trip stays, the person is gone."""
import datetime
import io
import json
import urllib.request
import zipfile
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import shot
from test_agency_walkthrough import local, set_value
from test_console_live import sign_in


def test_agency_admin_exports_then_erases_a_traveller(demo_server, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    sign_in(d, demo_server, "admin@horizon-demo.example")
    # A traveller of our own, so the demo's travellers stay for the other tests.
    departure = datetime.datetime.now(ZoneInfo("Europe/Paris")) + datetime.timedelta(days=20)
    d.get(demo_server + "/trips/new")
    d.find_element(By.ID, "f-reference").send_keys("GDPR-E2E")
    Select(d.find_element(By.ID, "f-destinations")).select_by_value("us-nyc")
    set_value(d, "f-departure", local(departure))
    set_value(d, "f-returnAt", local(departure + datetime.timedelta(days=5)))
    d.find_element(By.ID, "f-travellers-0-firstName").send_keys("Inès")
    d.find_element(By.ID, "f-travellers-0-lastName").send_keys("Privacitas")
    d.find_element(By.ID, "f-travellers-0-phone").send_keys("+33 6 98 76 54 32")
    d.find_element(By.ID, "submit-trip").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']")))
    trip_url = d.current_url
    d.find_element(By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']").click()
    link = wait.until(EC.presence_of_element_located((By.ID, "export-traveller")))
    shot(d, "30-traveller-export-and-erase")

    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "application/zip", response.headers["Content-Type"]
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    document = json.loads(archive.read("export.json"))
    assert document["format"] == "onspot-personal-data-export" and document["version"] == 1
    assert [f"{t['firstName']} {t['lastName']}" for t in document["travellers"]] == ["Inès Privacitas"]
    assert [t["reference"] for t in document["trips"]] == ["GDPR-E2E"]

    # Erasing asks for the box to be ticked, then for a confirmation.
    d.find_element(By.ID, "f-confirm").click()
    d.find_element(By.CSS_SELECTOR, "#erase-traveller button").click()
    try:
        d.switch_to.alert.accept()
    except Exception:
        pass
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
    assert "effacé" in d.find_element(By.CSS_SELECTOR, ".flash").text
    d.get(trip_url)
    page = d.find_element(By.TAG_NAME, "main").text if d.find_elements(By.TAG_NAME, "main") else d.page_source
    assert "GDPR-E2E" in d.page_source, "the trip stays"
    assert "Privacitas" not in d.page_source and "98 76 54 32" not in d.page_source and "+33698765432" not in d.page_source, page[:500]
