"""Issue 15, item 1 in the browser: an agency admin opens a traveller of a trip and downloads everything held on
them as a zip (export.json and their attachments)."""
import io
import json
import urllib.request
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot
from test_console_live import sign_in


def test_agency_admin_exports_a_travellers_personal_data(demo_server, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    sign_in(d, demo_server, "admin@horizon-demo.example")
    d.get(demo_server + "/trips")
    d.find_element(By.CSS_SELECTOR, "#trips tbody a").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']")))
    d.find_element(By.CSS_SELECTOR, "a[href*='/travellers/'][href$='/edit']").click()
    link = wait.until(EC.presence_of_element_located((By.ID, "export-traveller")))
    name = d.find_element(By.TAG_NAME, "h1").text
    shot(d, "30-traveller-export-link")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "application/zip", response.headers["Content-Type"]
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    document = json.loads(archive.read("export.json"))
    assert document["format"] == "onspot-personal-data-export" and document["version"] == 1
    names = {f"{t['firstName']} {t['lastName']}" for t in document["travellers"]}
    assert name in names, (name, names)
    assert document["trips"], "the traveller's trips"
