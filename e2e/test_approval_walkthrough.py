"""Clause 2.10 in two browsers: the expert records a cost above the agency's car-rental cap, the agency approves it
with a comment in its portal inbox, and the expert's open case page shows the decision without a reload."""
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import make_driver, shot
from test_console_live import sign_in


def test_over_cap_cost_is_approved_by_the_agency_and_seen_live(demo_server, browser):
    expert = browser
    wait = WebDriverWait(expert, 15)
    sign_in(expert, demo_server, "expert@onspot-demo.example")
    expert.get(demo_server + "/console")
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), "pneu crevé"))
    expert.find_element(By.XPATH, "//table[@id='queue']//tr[contains(., 'pneu crevé')]//a").click()
    wait.until(EC.presence_of_element_located((By.ID, "cost-form")))

    # 420 USD is about 386 EUR at the seeded rate: above Horizon's 150 EUR car-rental cap.
    purpose = "Véhicule de remplacement " + uuid.uuid4().hex[:6]
    Select(expert.find_element(By.ID, "f-domain")).select_by_value("car_rental")
    expert.find_element(By.ID, "f-supplier").send_keys("Alamo Miami Airport")
    expert.find_element(By.ID, "f-amount").send_keys("420")
    Select(expert.find_element(By.ID, "f-currency")).select_by_value("USD")
    expert.find_element(By.ID, "f-purpose").send_keys(purpose)
    expert.find_element(By.ID, "record-cost").click()
    row = wait.until(EC.presence_of_element_located((By.XPATH, f"//table[@id='cost-list']//tr[contains(., '{purpose}')]")))
    approval_id = row.get_attribute("data-approval")
    assert approval_id, "an over-cap cost waits for the agency"
    assert "386,40" in row.text, row.text
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
    shot(expert, "12-cost-needs-approval")

    agency = make_driver()
    try:
        sign_in(agency, demo_server, "admin@horizon-demo.example")
        agency.get(demo_server + "/approvals")
        panel = agency.find_element(By.CSS_SELECTOR, f"div.approval.pending[data-approval='{approval_id}']")
        assert purpose in panel.text and "386,40" in panel.text, panel.text
        panel.find_element(By.TAG_NAME, "textarea").send_keys("OK pour la catégorie supérieure, merci.")
        shot(agency, "13-approvals-inbox")
        panel.find_element(By.CSS_SELECTOR, "button.approve").click()
        # Waits for the page after the decision (the pending panel of the page before it goes stale on the way).
        decided = (By.CSS_SELECTOR, f"div.approval:not(.pending)[data-approval='{approval_id}']")
        WebDriverWait(agency, 10).until(EC.text_to_be_present_in_element(decided, "OK pour la catégorie supérieure"))
    finally:
        agency.quit()

    # Back on the console, without a reload.
    cell = (By.CSS_SELECTOR, f"tr[data-approval='{approval_id}'] .approval-status")
    wait.until(EC.text_to_be_present_in_element(cell, "OK pour la catégorie supérieure"))
    assert "Aprovado" in expert.find_element(*cell).text, "in the demo expert's language (Portuguese)"
    shot(expert, "14-console-approved-live")
