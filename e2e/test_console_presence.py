"""Issue 13, items 1, 2 and 4 in real browsers: the workspace shows the queue beside the conversation at 1366×768; a
message arriving by signed webhook reaches the open thread and the queue column without reload; when another expert
opens the same case or types on it, the first one sees it."""
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_driver, shot
from test_console_live import add_whatsapp_endpoint, post_whatsapp, sign_in

SENDER = "4915112340021"
OTHER = "4915112340022"


def test_two_experts_on_one_case_and_a_live_queue_column(demo_server, graph, browser):
    base, a = demo_server, browser
    add_whatsapp_endpoint(a, base)
    marker = "Presence " + uuid.uuid4().hex[:6]
    post_whatsapp(base, marker, sender=SENDER)
    sign_in(a, base, "expert@onspot-demo.example")
    a.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    wait = WebDriverWait(a, 20)
    a.get(base + "/console")
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), marker))
    link = a.find_element(By.XPATH, f"//table[@id='queue']//tr[contains(., '{marker}')]//a").get_attribute("href")
    a.get(link)
    wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
    # The queue beside the conversation, the open case marked.
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#queue-list li.current")))
    assert a.find_element(By.ID, "queue-column").is_displayed()
    before = len(a.find_elements(By.CSS_SELECTOR, "#queue-list li"))

    b = make_driver()
    try:
        sign_in(b, base, "admin@onspot-demo.example")
        b.get(link)
        WebDriverWait(b, 20).until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
        # Maria (Portuguese) sees that Benoît has the case open, then that he types.
        wait.until(EC.text_to_be_present_in_element((By.ID, "presence"), "Benoît Admin está com este caso aberto"))
        b.find_element(By.ID, "reply-text").send_keys("Je regarde")
        wait.until(EC.text_to_be_present_in_element((By.ID, "presence"), "Benoît Admin está escrevendo"))
    finally:
        b.quit()

    # The traveller writes again: the thread shows it; another traveller writes: the column grows, without reload.
    again = "Toujours là ? " + uuid.uuid4().hex[:6]
    post_whatsapp(base, again, sender=SENDER)
    wait.until(EC.text_to_be_present_in_element((By.ID, "thread"), again))
    post_whatsapp(base, "Nouveau voyageur " + uuid.uuid4().hex[:6], sender=OTHER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list li")) == before + 1)
    shot(a, "25-workspace-queue-presence-1366x768")
    a.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
