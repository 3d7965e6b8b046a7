"""Opens the boot dashboard in headless Chromium (Selenium) and watches it, without reloading, until
the tile of one node shows its boot done and the tile of another shows it failed; then opens the
done node's waterfall. Prints what it saw as one JSON object on stdout.

usage: watch_dashboard.py URL USER PASSWORD DONE_NODE FAILED_NODE TIMEOUT_SECONDS
"""
import base64
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

url, user, password, done_node, failed_node, timeout = sys.argv[1:7]
deadline = time.monotonic() + float(timeout)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,2000"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
seen = {"tiles": {}, "rows": [], "live": "", "loads": 0}
try:
    # Basic credentials on every request the page makes (fetch and EventSource included).
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Authorization": "Basic " + token}})
    driver.get(url)
    seen["title"] = driver.title
    print("opened", url, file=sys.stderr, flush=True)

    def tile(name):
        found = driver.find_elements(By.CSS_SELECTOR, f'button.tile[data-name="{name}"]')
        if not found:
            return None
        return {"stage": found[0].get_attribute("data-stage"), "text": found[0].text,
                "class": found[0].get_attribute("class")}

    while time.monotonic() < deadline:
        seen["tiles"] = {name: tile(name) for name in (done_node, failed_node)}
        seen["live"] = driver.find_element(By.ID, "live").text
        if all(seen["tiles"].values()) and seen["tiles"][done_node]["stage"] == "done" \
                and seen["tiles"][failed_node]["stage"] == "failed":
            break
        time.sleep(1)
    seen["loads"] = driver.execute_script(
        "return performance.getEntriesByType('navigation').length")

    driver.find_element(By.CSS_SELECTOR, f'button.tile[data-name="{done_node}"]').click()
    while time.monotonic() < deadline:
        rows = driver.find_elements(By.CSS_SELECTOR, "#waterfall .row")
        if rows:
            break
        time.sleep(0.5)
    time.sleep(1)
    for row in driver.find_elements(By.CSS_SELECTOR, "#waterfall .row"):
        bar = row.find_element(By.CSS_SELECTOR, ".bar")
        seen["rows"].append({"class": row.get_attribute("class"),
                             "label": row.find_element(By.CSS_SELECTOR, ".label").text,
                             "facts": row.find_element(By.CSS_SELECTOR, ".facts").text,
                             "left": bar.value_of_css_property("left"),
                             "width": bar.value_of_css_property("width")})
    seen["boot"] = driver.find_element(By.ID, "boot-node").text

    driver.find_element(By.CSS_SELECTOR, f'button.tile[data-name="{failed_node}"]').click()
    time.sleep(2)
    seen["failedReason"] = driver.find_element(By.ID, "boot-reason").text
    seen["failedRows"] = [{"class": r.get_attribute("class"), "label": r.find_element(By.CSS_SELECTOR, ".label").text}
                          for r in driver.find_elements(By.CSS_SELECTOR, "#waterfall .row")]
    seen["console"] = [entry["message"] for entry in driver.get_log("browser")]
finally:
    for name, shown in seen["tiles"].items():
        print("TILE", name, shown["stage"] if shown else "absent")
    for row in seen["rows"]:
        print("ROW", "|".join((row["class"], row["label"], row["facts"])))
    print("REASON", seen.get("failedReason", ""))
    print("JSON", json.dumps(seen), flush=True)
    driver.quit()
