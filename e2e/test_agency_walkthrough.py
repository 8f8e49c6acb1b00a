"""An agency signs up, answers the scope-of-action questionnaire, registers a trip and opens the assistance card."""
import datetime
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import shot


def set_value(driver, element_id, value):
    # datetime-local inputs are typed differently by each locale; set the value the way the form submits it.
    driver.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, value)


def local(dt):
    return dt.strftime("%Y-%m-%dT%H:%M")


def register_trip(driver, base, reference, departure, days, first_name, last_name, phone):
    """Registers a one-traveller New York trip through the portal's form and submits it."""
    driver.get(base + "/trips/new")
    driver.find_element(By.ID, "f-reference").send_keys(reference)
    Select(driver.find_element(By.ID, "f-destinations")).select_by_value("us-nyc")
    set_value(driver, "f-departure", local(departure))
    set_value(driver, "f-returnAt", local(departure + datetime.timedelta(days=days)))
    driver.find_element(By.ID, "f-travellers-0-firstName").send_keys(first_name)
    driver.find_element(By.ID, "f-travellers-0-lastName").send_keys(last_name)
    driver.find_element(By.ID, "f-travellers-0-phone").send_keys(phone)
    driver.find_element(By.ID, "submit-trip").click()


def test_sign_up_scope_trip_and_assistance_card(server, browser):
    d = browser
    d.get(server + "/signup")
    d.find_element(By.ID, "f-agencyName").send_keys("Agence Alizés")
    d.find_element(By.ID, "f-contactName").send_keys("Claire Martin")
    d.find_element(By.ID, "f-email").send_keys("claire@alizes-e2e.example")
    d.find_element(By.ID, "f-contactPhone").send_keys("+33 1 23 45 67 89")
    Select(d.find_element(By.ID, "f-plan")).select_by_value("PLUS")
    d.find_element(By.ID, "f-password").send_keys("a long e2e password")
    shot(d, "01-signup")
    d.find_element(By.CSS_SELECTOR, "form[action='/signup'] button[type=submit]").click()

    # The questionnaire opens right after sign-up.
    assert "/scope" in d.current_url
    Select(d.find_element(By.ID, "level-car_rental")).select_by_value("act_within_cap")
    cap = d.find_element(By.ID, "cap-car_rental")
    cap.clear()
    cap.send_keys("150")
    Select(d.find_element(By.ID, "level-activities")).select_by_value("inform_only")
    shot(d, "02-scope")
    d.find_element(By.ID, "save-scope").click()
    assert "Nouvelle version" in d.find_element(By.CSS_SELECTOR, ".flash").text
    assert len(d.find_elements(By.CSS_SELECTOR, "#scope-versions li")) == 2

    # A trip departing in 71 hours is refused with the deadline; at 73 hours it is registered.
    # The form reads dates in the agency's zone (Europe/Paris by default), not the machine's.
    now = datetime.datetime.now(ZoneInfo("Europe/Paris"))
    d.get(server + "/trips/new")
    d.find_element(By.ID, "f-reference").send_keys("E2E-1")
    Select(d.find_element(By.ID, "f-destinations")).select_by_value("us-nyc")
    set_value(d, "f-departure", local(now + datetime.timedelta(hours=71)))
    set_value(d, "f-returnAt", local(now + datetime.timedelta(days=10)))
    d.find_element(By.ID, "f-travellers-0-firstName").send_keys("Ana")
    d.find_element(By.ID, "f-travellers-0-lastName").send_keys("Costa")
    d.find_element(By.ID, "f-travellers-0-phone").send_keys("+351 912 345 678")
    Select(d.find_element(By.ID, "f-travellers-0-language")).select_by_value("pt")
    d.find_element(By.ID, "submit-trip").click()
    error = d.find_element(By.ID, "departure-error").text
    assert "72 heures" in error and "Europe/Paris" in error
    shot(d, "03-refused-71h")

    set_value(d, "f-departure", local(now + datetime.timedelta(hours=73)))
    # A second traveller, added with the form's button.
    d.find_element(By.CSS_SELECTOR, "[data-add-traveller]").click()
    d.find_element(By.ID, "f-travellers-1-firstName").send_keys("Rui")
    d.find_element(By.ID, "f-travellers-1-lastName").send_keys("Costa")
    Select(d.find_element(By.ID, "f-destinations")).select_by_value("us-nyc")
    d.find_element(By.ID, "submit-trip").click()
    # The refused form was also at /trips: wait for the redirect to the new trip before reading the page.
    WebDriverWait(d, 10).until(lambda drv: "/trips/" in drv.current_url)
    assert "/trips/" in d.current_url
    assert "Ana Costa" in d.page_source and "Rui Costa" in d.page_source
    shot(d, "04-trip")

    card_link = d.find_elements(By.CSS_SELECTOR, "a.card-link")[0].get_attribute("href")
    d.get(card_link)
    card = d.find_element(By.ID, "assistance-card").text
    assert "Cartão de assistência" in card, "the card speaks the traveller's language"
    assert "+1800555" in card
    assert "25 de dezembro" in card
    assert d.find_element(By.ID, "tel-us-nyc").get_attribute("href").startswith("tel:+1800555")
    shot(d, "05-card-mobile")
    d.set_window_size(390, 844)
    shot(d, "06-card-phone")
