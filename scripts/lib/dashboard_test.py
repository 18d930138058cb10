#!/usr/bin/env python3
"""The operator dashboard in headless Chromium, end to end.

Starts Switchboard (the example tenants, a fresh SQLite file, the embedded sandbox), creates
interactions through the API, then drives the dashboard with Selenium: signs in, finds a sandbox
interaction, opens its timeline, approves a parked one and sees it complete, at desktop and
phone widths. Screenshots go to test-output/dashboard/. Any error in the browser console fails
the run. Run it through scripts/test-dashboard, which installs what it needs.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TENANT = "acme-plumbing"
API_KEY = "acme-website-key-2026"
OPERATOR_KEY = "acme-dispatch-key-2026"
VIEWER_KEY = "acme-owner-view-2026"
DESKTOP = (1366, 960)
PHONE = (390, 844)


class Check:
    """Counts the checks made; a failed one stops the run with what was expected."""

    def __init__(self):
        self.passed = 0

    def that(self, condition, message):
        if not condition:
            raise AssertionError(message)
        self.passed += 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, path, key=None, body=None, wait=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if wait:
        headers["Prefer"] = f"wait={wait}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read() or b"null")


def start_server(binary, root, database):
    # A copy of the example tenants, so the test can break one and watch the dashboard report it.
    tenants = os.path.join(os.path.dirname(database), "tenants")
    shutil.copytree(os.path.join(root, "tenants"), tenants)
    port = free_port()
    log = open(os.path.join(os.path.dirname(database), "server.log"), "w")
    process = subprocess.Popen(
        [binary, "serve", "--port", str(port), "--tenants", tenants,
         "--public", os.path.join(root, "public"), "--db", database, "--sandbox", "--log-level", "warning", "--no-watch"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"switchboard exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"switchboard did not become ready at {base} within 30 s; see {log.name}")


def make_driver(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-extensions", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def break_tenant_file(database):
    """Writes an invalid price into the copied Acme file; returns the line it is on."""
    path = os.path.join(os.path.dirname(database), "tenants", "acme-plumbing.yaml")
    with open(path) as file:
        lines = file.read().split("\n")
    number = next(i for i, line in enumerate(lines) if line.strip() == "price: 149.00")
    lines[number] = lines[number].replace("149.00", "eighty")
    with open(path, "w") as file:
        file.write("\n".join(lines))
    return number + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the switchboard binary")
    parser.add_argument("--output", default="test-output/dashboard", help="where screenshots go")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    output = os.path.join(root, args.output)
    shutil.rmtree(output, ignore_errors=True)
    os.makedirs(output)
    workdir = tempfile.mkdtemp(prefix="switchboard-dashboard-")
    server, base = start_server(os.path.abspath(args.binary), root, os.path.join(workdir, "switchboard.sqlite"))
    driver = None
    check = Check()
    try:
        # Traffic from the sandbox: a completed booking, a quote parked for approval, a refusal.
        booked = request(base, f"/v1/tenants/{TENANT}/interactions", API_KEY, wait=15, body={
            "from": {"phone": "+15125550100", "name": "Dana Reyes", "email": "dana@example.com"},
            "text": "My kitchen sink is clogged, can someone come out?", "fields": {"postal_code": "78704"}})
        check.that(booked["status"] == "completed", f"the drain cleaning should complete: {booked}")
        parked = request(base, f"/v1/tenants/{TENANT}/interactions", API_KEY, wait=15, body={
            "from": {"phone": "+15125550107", "name": "Sam Ortiz"},
            "text": "We have no hot water, the water heater died", "fields": {"postal_code": "78701"}})
        check.that(parked["status"] == "awaiting_approval", f"the water heater quote should wait for approval: {parked}")
        refused = request(base, f"/v1/tenants/{TENANT}/interactions", API_KEY, wait=15, body={
            "from": {"phone": "+15125550109", "name": "Lee"}, "text": "Burst pipe, water everywhere",
            "fields": {"postal_code": "99999"}})
        check.that(refused["status"] == "failed", f"an address outside the area should be refused: {refused}")

        driver = make_driver(args.chromium, args.chromedriver)
        wait = WebDriverWait(driver, 20)

        def shot(name, full=True):
            if not full:
                driver.save_screenshot(os.path.join(output, f"{name}.png"))
                return
            # The whole page, not just the window: grow the window to the page's height for the picture.
            width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
            full = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            driver.set_window_size(width, min(max(height, full + 140), 8000))
            time.sleep(0.2)
            driver.save_screenshot(os.path.join(output, f"{name}.png"))
            driver.set_window_size(width, height)

        # Sign in.
        driver.get(base + "/")
        wait.until(EC.visibility_of_element_located((By.ID, "tenant")))
        check.that(driver.find_element(By.CSS_SELECTOR, "label[for=operator-key]").text == "Operator or viewer key", "the key field has a label")
        shot("desktop-01-sign-in")
        driver.find_element(By.ID, "tenant").send_keys(TENANT)
        driver.find_element(By.ID, "operator-key").send_keys(OPERATOR_KEY + Keys.ENTER)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table.interactions tbody tr")) >= 3)
        check.that("Acme Plumbing" in driver.find_element(By.ID, "tenant-name").text, "the tenant's name shows after sign-in")
        stored = driver.execute_script("return JSON.parse(sessionStorage.getItem('switchboard.operator'))")
        check.that(stored and stored["tenant"] == TENANT, "the session is kept in sessionStorage")
        check.that(driver.execute_script("return localStorage.length") == 0, "nothing goes to localStorage")
        shot("desktop-02-interactions")

        # Find the sandbox booking by the customer's phone and open its timeline.
        search = driver.find_element(By.ID, "filter-customer")
        search.send_keys("+15125550100" + Keys.ENTER)
        wait.until(lambda d: [r.get_attribute("data-id") for r in d.find_elements(By.CSS_SELECTOR, "table.interactions tbody tr")] == [booked["id"]])
        driver.find_element(By.CSS_SELECTOR, f"tr[data-id='{booked['id']}'] a.row-link").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".waterfall .wf-step")) >= 10)
        states = [e.get_attribute("data-state") for e in driver.find_elements(By.CSS_SELECTOR, ".waterfall .wf-step")]
        check.that(states[:4] == ["identify", "find_customer", "check_area", "quote"], f"the timeline lists the steps in order: {states}")
        check.that(len(driver.find_elements(By.CSS_SELECTOR, ".waterfall .wf-call")) >= 4, "provider calls have rows of their own")
        bars = driver.find_elements(By.CSS_SELECTOR, ".waterfall .wf-bar")
        check.that(all(b.size["width"] >= 3 for b in bars), "every step and call has a visible bar")
        check.that(driver.find_element(By.CSS_SELECTOR, ".overview .badge").text == "Completed", "the booking shows as completed")
        quote = driver.find_element(By.CSS_SELECTOR, ".wf-step[data-state='quote'] summary")
        quote.click()
        reasons = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".wf-step[data-state='quote'] .reasons")))
        check.that("total $149.00" in reasons.text, f"the price decision shows its reasons: {reasons.text}")
        messages = driver.find_element(By.ID, "messages-title").text
        check.that(messages.startswith("Messages sent (") and not messages.endswith("(0)"), f"the messages sent are listed: {messages}")
        shot("desktop-03-timeline")

        # Approve the parked quote from the approval queue and see it complete.
        driver.find_element(By.CSS_SELECTOR, "a[data-section='approvals']").click()
        card = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f".card.approval[data-id='{parked['id']}']")))
        check.that("Water heater" in card.text, f"the approval card names the service: {card.text}")
        check.that(driver.find_element(By.ID, "approvals-count").text == "1", "the header counts one approval waiting")
        shot("desktop-04-approvals")
        card.find_element(By.CSS_SELECTOR, "button[data-action='approve']").click()
        decided = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f".card.decided[data-id='{parked['id']}']")))
        check.that("completed" in decided.text, f"the approved interaction completes: {decided.text}")
        shot("desktop-05-approved")
        decided.find_element(By.TAG_NAME, "a").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".overview .badge") and
                   d.find_element(By.CSS_SELECTOR, ".overview .badge").text == "Completed")
        states = [e.get_attribute("data-state") for e in driver.find_elements(By.CSS_SELECTOR, ".waterfall .wf-step")]
        check.that("owner_approval" in states and states[-1] == "note", f"the approved flow ran to the end: {states}")
        shot("desktop-06-approved-timeline")
        check.that(request(base, f"/v1/tenants/{TENANT}/interactions/{parked['id']}", OPERATOR_KEY)["status"] == "completed",
                   "the API agrees the approved interaction completed")

        # Failed ones, figures and configuration.
        driver.find_element(By.CSS_SELECTOR, "a[data-section='attention']").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f".card.attention[data-id='{refused['id']}'] button[data-action='replay']")))
        shot("desktop-07-failed")
        driver.find_element(By.CSS_SELECTOR, f".card.attention[data-id='{refused['id']}'] button[data-action='replay']").click()
        replayed = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f".card.decided[data-id='{refused['id']}']")))
        check.that("Replayed: the interaction is now failed" in replayed.text, f"a replay of the refusal fails again: {replayed.text}")
        driver.find_element(By.CSS_SELECTOR, "a[data-section='figures']").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "table.providers")))
        tiles = driver.find_element(By.CSS_SELECTOR, ".tiles").text
        check.that("Resolution p50" in tiles and "Resolution p99" in tiles, f"the figures show resolution percentiles: {tiles}")
        shot("desktop-08-figures")
        driver.find_element(By.CSS_SELECTOR, "a[data-section='config']").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".facts")))
        check.that("no reload error" in driver.find_element(By.CSS_SELECTOR, ".notice").text, "the config page reports a clean load")
        shot("desktop-09-config")
        version_xpath = "//dt[.='Version']/following-sibling::dd[1]"
        version = driver.find_element(By.XPATH, version_xpath).text
        line = break_tenant_file(os.path.join(workdir, "switchboard.sqlite"))
        server.send_signal(signal.SIGHUP)
        driver.refresh()
        problem = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".problems li")))
        check.that(f"acme-plumbing.yaml:{line}:" in problem.text and "price" in problem.text,
                   f"a broken edit shows its file:line:col: {problem.text}")
        check.that(driver.find_element(By.XPATH, version_xpath).text == version, f"the last good version {version} keeps serving")
        shot("desktop-10-config-error")

        # The audit log: the approval and the replay by the key that made them, the version loaded at start-up.
        driver.find_element(By.CSS_SELECTOR, "a[data-section='audit']").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")) >= 3)
        entries = [(r.get_attribute("data-action"), r.text) for r in driver.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")]
        check.that(any(a == "approve" and "dispatch" in t and parked["id"] in t for a, t in entries),
                   f"the audit log names the key that approved: {entries}")
        check.that(any(a == "replay" and "dispatch" in t and refused["id"] in t for a, t in entries),
                   f"the audit log names the key that replayed: {entries}")
        check.that(any(a == "reload" and "start-up" in t and version in t for a, t in entries),
                   f"the audit log shows the version loaded at start-up: {entries}")
        shot("desktop-11-audit")

        # A phone-sized screen.
        driver.set_window_size(*PHONE)
        driver.get(base + "/#/interactions")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table.interactions tbody tr")) >= 3)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check.that(width <= PHONE[0], f"the list fits a phone's width without sideways scrolling ({width}px)")
        shot("phone-01-interactions", full=False)
        driver.get(base + f"/#/interactions/{parked['id']}")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".waterfall .wf-step")) >= 10)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check.that(width <= PHONE[0], f"the timeline fits a phone's width ({width}px)")
        shot("phone-02-interaction", full=False)
        driver.execute_script("document.querySelector('.waterfall').scrollIntoView()")
        driver.find_element(By.CSS_SELECTOR, ".wf-step[data-state='quote'] summary").click()
        shot("phone-03-timeline", full=False)
        driver.get(base + "/#/figures")
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "table.providers")))
        shot("phone-04-figures", full=False)
        driver.get(base + "/#/approvals")
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".page-head h1")))
        driver.find_element(By.CSS_SELECTOR, "a[data-section='config']").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".facts")))
        shot("phone-05-config", full=False)

        # Keyboard: sign out and back in without a mouse.
        driver.set_window_size(*DESKTOP)
        driver.find_element(By.ID, "sign-out").send_keys(Keys.ENTER)
        wait.until(EC.visibility_of_element_located((By.ID, "tenant")))
        check.that(driver.execute_script("return sessionStorage.getItem('switchboard.operator')") is None, "signing out forgets the key")

        # A website's api key is not let in; a viewer key sees everything and is offered no action.
        driver.find_element(By.ID, "tenant").send_keys(TENANT)
        driver.find_element(By.ID, "operator-key").send_keys(API_KEY + Keys.ENTER)
        refusal = wait.until(EC.visibility_of_element_located((By.ID, "sign-in-error")))
        check.that("api key" in refusal.text and "operator or viewer key" in refusal.text, f"an api key is refused with why: {refusal.text}")
        check.that(driver.execute_script("return sessionStorage.getItem('switchboard.operator')") is None, "a refused key is not kept")
        key_field = driver.find_element(By.ID, "operator-key")
        key_field.clear()
        key_field.send_keys(VIEWER_KEY + Keys.ENTER)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "table.interactions tbody tr")) >= 3)
        check.that(driver.find_element(By.ID, "role-note").is_displayed(), "a viewer sees that the dashboard is read only")
        check.that(not driver.find_element(By.CSS_SELECTOR, "a[data-section='audit']").is_displayed(), "a viewer is not offered the audit log")
        driver.get(base + f"/#/interactions/{refused['id']}")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".waterfall .wf-step")) >= 1)
        check.that(not driver.find_elements(By.ID, "replay"), "a viewer is offered no replay")
        check.that("viewer key" in driver.find_element(By.CSS_SELECTOR, ".card.actions").text, "a viewer is told an operator acts")
        driver.find_element(By.CSS_SELECTOR, "a[data-section='attention']").click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, f".card.attention[data-id='{refused['id']}']")))
        check.that(not driver.find_elements(By.CSS_SELECTOR, "button[data-action='replay']"), "the failed queue has no replay for a viewer")
        shot("desktop-12-viewer")
        driver.find_element(By.ID, "sign-out").send_keys(Keys.ENTER)
        wait.until(EC.visibility_of_element_located((By.ID, "tenant")))

        problems = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        for entry in problems:
            print(f"browser console: {entry['level']}: {entry['message']}", file=sys.stderr)
        check.that(not problems, f"{len(problems)} error(s) or warning(s) in the browser console")
    except Exception as error:
        if driver is not None:
            driver.save_screenshot(os.path.join(output, "failure.png"))
            for entry in driver.get_log("browser"):
                print(f"browser console: {entry['level']}: {entry['message']}", file=sys.stderr)
        print(f"dashboard test failed after {check.passed} checks: {error}", file=sys.stderr)
        print(f"{check.passed} passed, 1 failed")
        return 1
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"screenshots in {os.path.relpath(output, root)}/")
    print(f"{check.passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
