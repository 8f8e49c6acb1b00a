"""Issue 13, item 1: opening a case shows its newest message and the reply box without scrolling, on a 1366×768
screen and on a 390×844 phone, and the phone never scrolls sideways. Screenshots of both are saved."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot
from test_console_live import add_whatsapp_endpoint, post_whatsapp, sign_in

SENDER = "4915112340014"

# Where the newest message, the reply box and its button are, measured in the page as the expert sees it.
MEASURE = """
const vh = window.innerHeight, vw = window.innerWidth;
const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
const messages = document.querySelectorAll('#thread .msg');
const last = messages[messages.length - 1];
return {vh: vh, vw: vw, scrollY: window.scrollY, scrollWidth: document.documentElement.scrollWidth,
        count: messages.length, lastText: last ? last.textContent : '', last: last ? box(last) : null,
        thread: box(document.getElementById('thread')), text: box(document.getElementById('reply-text')),
        send: box(document.getElementById('send-reply'))};
"""


def visible(b, m):
    return b["top"] >= 0 and b["bottom"] <= m["vh"] + 1 and b["left"] >= 0 and b["right"] <= m["vw"] + 1


def test_a_case_opens_on_its_newest_message_and_reply_box(demo_server, graph, browser):
    base, d = demo_server, browser
    wait = WebDriverWait(d, 20)
    add_whatsapp_endpoint(d, base)
    # A traveller who wrote fourteen times: more than any screen holds.
    for n in range(1, 15):
        post_whatsapp(base, f"Workspace message {n:02d}: the rental desk at JFK is still closed.", sender=SENDER)
    sign_in(d, base, "expert@onspot-demo.example")
    d.get(base + "/console")
    wait.until(EC.text_to_be_present_in_element((By.ID, "queue"), "Workspace message 14"))
    link = d.find_element(By.XPATH, "//table[@id='queue']//tr[contains(., 'Workspace message 14')]//a").get_attribute("href")

    for name, width, height, mobile in [("21-workspace-1366x768", 1366, 768, False), ("22-workspace-phone-390x844", 390, 844, True)]:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        d.get(link)
        wait.until(EC.text_to_be_present_in_element_attribute((By.ID, "live-state"), "data-state", "live"))
        m = d.execute_script(MEASURE)
        shot(d, name)
        assert m["vh"] == height and m["vw"] == width, m
        assert m["scrollY"] == 0, m
        assert m["count"] >= 14, m
        assert "Workspace message 14" in m["lastText"], m
        assert visible(m["last"], m), f"{name}: the newest message is on screen: {m}"
        assert m["last"]["top"] >= m["thread"]["top"] - 1 and m["last"]["bottom"] <= m["thread"]["bottom"] + 1, \
            f"{name}: the newest message is in the thread's visible part: {m}"
        assert visible(m["text"], m) and visible(m["send"], m), f"{name}: the reply box and its button are on screen: {m}"
        assert m["scrollWidth"] <= width, f"{name}: no sideways scrolling: {m}"
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
