"""Drives Baton's web pages in headless Chromium (selenium + chromedriver) against a running server.

Usage: python3 pages_test.py MANIFEST.json — the manifest names the server, a token and what it holds (written by
BrowserTests.swift). Exits 0 when every check holds; otherwise prints each failure and exits 1.
"""
import json
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

manifest = json.load(open(sys.argv[1]))
base = manifest["base"]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def open_browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
        options.add_argument(argument)
    options.binary_location = manifest["chromium"]
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(manifest["chromedriver"]), options=options)
    driver.set_page_load_timeout(30)
    return driver


def console_errors(driver, where):
    for entry in driver.get_log("browser"):
        check(entry["level"] != "SEVERE", f"console error on {where}: {entry['message']}")


def no_alert(driver, where):
    try:
        text = driver.switch_to.alert.text
        check(False, f"a script ran on {where}: alert({text})")
    except NoAlertPresentException:
        pass


def visit(driver, path):
    driver.get(base + path)
    no_alert(driver, path)
    console_errors(driver, path)


def submit(driver, button):
    """Clicks a form's button and waits until the page it leads to has replaced this one: a mark set on this
    document's window is gone from the next one's."""
    driver.execute_script("window.batonLeaving = true")
    button.click()

    def arrived(driver):
        try:
            return driver.execute_script("return document.readyState === 'complete' && window.batonLeaving === undefined")
        except WebDriverException:
            return False  # between documents

    WebDriverWait(driver, 30).until(arrived)


def wait_until(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    check(False, f"timed out after {seconds} s waiting for {what}")
    return False


driver = open_browser()
try:
    # Sign in: a page sends the browser to the form, which leads back to the page.
    driver.get(base + "/workflows")
    check("/sign-in" in driver.current_url, f"not sent to sign in: {driver.current_url}")
    driver.find_element(By.ID, "token").send_keys(manifest["token"])
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button"))
    check(driver.current_url.endswith("/workflows"), f"sign-in did not lead back: {driver.current_url}")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Workflows", "the workflows page has its heading")
    console_errors(driver, "/workflows")

    # Every workflow's graph: one node per step, one arrow per edge, every arrow between two drawn nodes.
    for workflow in manifest["workflows"]:
        path = f"/workflows/{workflow['id']}"
        visit(driver, path)
        check(driver.find_element(By.TAG_NAME, "h1").text == workflow["name"], f"{workflow['name']}: the heading names the workflow")
        steps = sorted(node.get_attribute("data-step-id") for node in driver.find_elements(By.CSS_SELECTOR, "svg.graph [data-step-id]"))
        check(steps == sorted(workflow["steps"]), f"{workflow['name']}: nodes {steps} != steps {sorted(workflow['steps'])}")
        nodes = {node.get_attribute("data-node-id") for node in driver.find_elements(By.CSS_SELECTOR, "svg.graph [data-node-id]")}
        edges = driver.find_elements(By.CSS_SELECTOR, "svg.graph path.edge")
        check(len(edges) == workflow["edges"], f"{workflow['name']}: {len(edges)} arrows, {workflow['edges']} edges")
        for edge in edges:
            ends = (edge.get_attribute("data-from"), edge.get_attribute("data-to"))
            check(ends[0] in nodes and ends[1] in nodes, f"{workflow['name']}: arrow {ends} leaves or reaches no node")
            check(edge.get_attribute("marker-end") == "url(#arrow)", f"{workflow['name']}: arrow {ends} has no head")
        box = driver.find_element(By.CSS_SELECTOR, "svg.graph").size
        check(box["width"] > 100 and box["height"] > 100, f"{workflow['name']}: the graph is not drawn ({box})")

    # The YAML section loads its text when opened.
    visit(driver, f"/workflows/{manifest['workflows'][0]['id']}")
    driver.find_element(By.CSS_SELECTOR, "details.yaml summary").click()
    yaml = driver.find_element(By.CSS_SELECTOR, "details.yaml pre")
    wait_until(lambda: "format: 1" in yaml.text, 10, "the YAML to load")
    console_errors(driver, "the YAML section")

    # Markup written into a workflow stays text.
    visit(driver, f"/workflows/{manifest['markup']}")
    check(driver.find_element(By.CSS_SELECTOR, "p.lead").text == "<script>alert(1)</script>", "the description is shown as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main script")) == 0, "no script element came from the document")

    # A form without its token is refused and changes nothing.
    visit(driver, f"/workflows/{manifest['csrfDraft']}")
    driver.execute_script("document.querySelector(\"form[action$='/activate'] input[name=csrf]\").remove()")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/activate'] button"))
    check("The form was refused" in driver.page_source, "a form without its token is refused")
    driver.get_log("browser")  # the refusal's 403 is expected: it is not a console error of the page
    visit(driver, f"/workflows/{manifest['csrfDraft']}")
    check(driver.find_element(By.CSS_SELECTOR, ".heading .badge").text == "draft", "the refused form changed nothing")

    # Activate through its form: the state shown changes.
    visit(driver, f"/workflows/{manifest['draft']}")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/activate'] button"))
    check(driver.find_element(By.CSS_SELECTOR, ".heading .badge").text == "active", "activating changes the state shown")
    check("Activated." in driver.find_element(By.CSS_SELECTOR, ".notice").text, "the page says what happened")
    console_errors(driver, "activate")

    # Approve a waiting run: it goes on and completes.
    run = manifest["waitingRun"]
    visit(driver, f"/runs/{run}")
    check(driver.find_element(By.CSS_SELECTOR, ".heading .badge").text == "waiting", "the run waits for approval")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.timeline .row")) >= 2, "the timeline shows the step and the wait")
    driver.find_element(By.ID, "comment-decision").send_keys("approved in the browser")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "button[value=approve]"))

    def completed():
        driver.get(base + f"/runs/{run}")
        return driver.find_element(By.CSS_SELECTOR, ".heading .badge").text == "completed"

    wait_until(completed, 20, "the approved run to complete")
    console_errors(driver, f"/runs/{run}")

    # Compose: the form leads, through the model's progress, to the new draft.
    visit(driver, "/compose")
    driver.find_element(By.ID, "request").send_keys(manifest["composeRequest"])
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/compose'] button"))
    wait_until(lambda: "/workflows/" in driver.current_url, 60, "the composition to land on its draft")
    check("The model's draft was saved." in driver.page_source, "the draft page says the draft was saved")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.graph [data-step-id]")) > 0, "the draft is drawn")
    console_errors(driver, "compose")

    # Readable on a phone: no page is wider than the screen (the graph and timeline scroll in their own boxes).
    driver.set_window_size(390, 844)
    for path in ["/workflows", f"/workflows/{manifest['workflows'][0]['id']}", f"/runs/{run}", "/runs", "/dead-letters", "/compose"]:
        visit(driver, path)
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 1, f"{path} is {wide} px wider than a phone's screen")
finally:
    driver.quit()

print(f"{len(failures)} failure(s)" if failures else "all browser checks passed", flush=True)
sys.exit(1 if failures else 0)
