"""Issue 7 on the trip page: an agent pastes a car rental confirmation and a hotel voucher, reviews the segments found,
accepts the car first, then the hotel from the kept document, and sees both in the trip's itinerary in local time."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot
from test_console_live import sign_in

PASTE = """Hertz - Confirmation de location
Votre numéro de confirmation : K5529183740
Conducteur : DUPONT Jean

Prise en charge : 16/07/2027 à 15h00
Miami International Airport (MIA), 3795 NW 21st St, Miami, FL 33142
Restitution : 23/07/2027 à 10h00
Miami International Airport (MIA), 3795 NW 21st St, Miami, FL 33142

BON D'ÉCHANGE HÉBERGEMENT
Hôtel : The Palms Hotel & Spa
Adresse : 3025 Collins Avenue, Miami Beach, FL 33140, États-Unis
Arrivée : jeu. 16 juil. 2027 (à partir de 16:00)
Départ : ven. 23 juil. 2027 (jusqu'à 11:00)
Numéro de confirmation : 4127553901
"""


def open_bookable_trip(d, server):
    d.get(server + "/trips")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#trips a")]
    for href in links:
        d.get(href)
        if d.find_elements(By.ID, "f-text"):
            return href
    raise AssertionError("no trip open for pasting in the demo")


def test_paste_review_and_accept_segments(demo_server, browser):
    d = browser
    wait = WebDriverWait(d, 15)
    sign_in(d, demo_server, "agent@horizon-demo.example")
    trip = open_bookable_trip(d, demo_server)

    d.find_element(By.ID, "f-documentTitle").send_keys("Voiture et hôtel Miami")
    d.execute_script("document.getElementById('f-text').value = arguments[0]", PASTE)
    d.find_element(By.CSS_SELECTOR, "form[action$='/documents'] button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "proposals")))
    rows = d.find_elements(By.CSS_SELECTOR, "#proposals tr.proposal")
    assert [r.get_attribute("data-kind") for r in rows] == ["car_rental", "stay"], [r.text for r in rows]
    car, hotel = rows
    assert "Hertz" in car.text and "K5529183740" in car.text
    assert "16 juil. 2027, 15:00 (UTC-04:00)" in car.text, car.text
    assert "The Palms Hotel & Spa" in hotel.text and "3025 Collins Avenue" in hotel.text
    assert "Hôtel : The Palms" in d.find_element(By.ID, "pasted").text
    shot(d, "15-extraction-review")

    # The car only, this time.
    hotel.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    d.find_element(By.CSS_SELECTOR, "form[action$='/accept'] button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "segments")))
    itinerary = d.find_element(By.ID, "segments").text
    assert "Hertz" in itinerary and "America/New_York" in itinerary, itinerary
    assert "The Palms" not in itinerary

    # The document is kept; its review shows the car as already in and the hotel still to take.
    d.find_element(By.CSS_SELECTOR, "a.review-link").click()
    wait.until(EC.presence_of_element_located((By.ID, "proposals")))
    boxes = d.find_elements(By.CSS_SELECTOR, "#proposals input[type=checkbox]")
    assert [b.get_attribute("disabled") is not None for b in boxes] == [True, False]
    d.find_element(By.CSS_SELECTOR, "form[action$='/accept'] button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "segments")))
    itinerary = d.find_element(By.ID, "segments").text
    assert "Hertz" in itinerary and "The Palms Hotel & Spa" in itinerary, itinerary
    assert d.current_url.startswith(trip)
    assert "Voiture et hôtel Miami" in d.find_element(By.ID, "documents").find_element(By.XPATH, "following-sibling::div").text
    shot(d, "16-itinerary-after-paste")
