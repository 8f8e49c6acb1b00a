"""Issue 15 in the browser: an agency admin registers a traveller, downloads everything held on them as a zip
(export.json and their attachments), then erases them: the trip stays, the person is gone."""
import datetime
import io
import json
import zipfile
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot
from test_agency_walkthrough import register_trip
from test_billing_walkthrough import download
from test_console_live import sign_in


def test_agency_admin_exports_then_erases_a_traveller(demo_server, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    sign_in(d, demo_server, "admin@horizon-demo.example")
    # A traveller of our own, so the demo's travellers stay for the other tests.
    departure = datetime.datetime.now(ZoneInfo("Europe/Paris")) + datetime.timedelta(days=20)
    register_trip(d, demo_server, "GDPR-E2E", departure, 5, "Inès", "Privacitas", "+33 6 98 76 54 32")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']")))
    trip_url = d.current_url
    d.find_element(By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']").click()
    link = wait.until(EC.presence_of_element_located((By.ID, "export-traveller")))
    shot(d, "30-traveller-export-and-erase")

    archive = zipfile.ZipFile(io.BytesIO(download(d, link.get_attribute("href"), "application/zip")))
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


def test_agency_admin_sets_retention_and_keeps_the_request_log(demo_server, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    sign_in(d, demo_server, "admin@horizon-demo.example")
    d.find_element(By.CSS_SELECTOR, "nav a[href='/privacy']").click()
    wait.until(EC.presence_of_element_located((By.ID, "retention")))
    assert "Registre des traitements" in d.page_source
    # Out of bounds first: the field says so and nothing is saved; then a valid choice.
    months = d.find_element(By.ID, "f-months.recordings")
    d.execute_script("arguments[0].value = '99'", months)
    d.find_element(By.ID, "save-retention").click()
    wait.until(EC.presence_of_element_located((By.ID, "months.recordings-error")))
    months = d.find_element(By.ID, "f-months.recordings")
    d.execute_script("arguments[0].value = '3'", months)
    d.find_element(By.ID, "save-retention").click()
    # The page before the save has an error flash of its own: wait for the new page's.
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Durées de conservation enregistrées"))
    assert d.find_element(By.ID, "f-months.recordings").get_attribute("value") == "3"
    shot(d, "31-record-of-processing")

    d.find_element(By.ID, "requests-link").click()
    wait.until(EC.presence_of_element_located((By.ID, "new-request")))
    d.find_element(By.ID, "f-kind").send_keys("Effacement")
    d.find_element(By.ID, "f-subjectReference").send_keys("Dossier E2E-REQ")
    d.find_element(By.ID, "record-request").click()
    wait.until(EC.presence_of_element_located((By.ID, "data-requests")))
    row = d.find_element(By.CSS_SELECTOR, "#data-requests tbody tr")
    assert "Dossier E2E-REQ" in row.text and "Effacement (art. 17)" in row.text and "j restants" in row.text, row.text
    row.find_element(By.CSS_SELECTOR, "input[name='reason']").send_keys("Douze voyages à rassembler")
    row.find_element(By.CSS_SELECTOR, "form[action$='/extend'] button").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#data-requests tr[data-status='extended']")))
    row = d.find_element(By.CSS_SELECTOR, "#data-requests tr[data-status='extended']")
    row.find_element(By.CSS_SELECTOR, "input[name='outcome']").send_keys("Effacé depuis la fiche du voyageur")
    row.find_element(By.CSS_SELECTOR, "button[value='done']").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#data-requests tr[data-status='done']")))
    assert "Effacé depuis la fiche du voyageur" in d.find_element(By.CSS_SELECTOR, "#data-requests tr[data-status='done']").text
    shot(d, "32-data-subject-requests")
