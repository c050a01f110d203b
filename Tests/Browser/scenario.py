#!/usr/bin/python3
"""One scripted day of review in a real browser (Debian's Chromium through chromedriver).

Started by Tests/EndToEndTests/BrowserTests.swift, which builds the store, creates the accounts,
starts `pmcms serve`, runs this script with `/usr/bin/python3` (Debian's, which sees
python3-selenium) and stops the server afterwards. This script only drives browsers: every
check is made on what a person would see (pages, status codes, the text kept in a form), plus
the browser's own record of every request it made and every dialog it opened.

Arguments come as one JSON object on standard input (see `Config`); the script prints one line
per step and exits 0 when every check held, 1 with the failed check otherwise. It puts itself in
its own process group first, so that the test can stop chromedriver and Chromium with it
whatever happens.
"""
import json
import os
import signal
import sys
import time
import traceback
import urllib.parse

os.setpgrp()  # chromedriver and Chromium inherit this group; the Swift test kills the group last

from selenium import webdriver  # noqa: E402  (after setpgrp, on purpose)
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


class Failed(Exception):
    """A check that did not hold: the message says what was expected and what was seen."""


def check(condition, message):
    if not condition:
        raise Failed(message)


def step(text):
    print(f"· {text}", flush=True)


# SIGTERM (the test's timeout) ends the script through `finally`, so the browsers are quit.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

DESKTOP = (1280, 900)
PHONE = (390, 844)


class Browser:
    """One browser session (its own profile and cookies), as one person at one computer."""

    def __init__(self, config, name):
        self.config = config
        self.name = name
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--disable-default-apps"):
            options.add_argument(argument)
        # Every network event and every dialog of the page, read back from chromedriver's
        # performance log; dialogs are left open (not dismissed) so that they can be seen.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        options.set_capability("unhandledPromptBehavior", "ignore")
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)
        self.events = []

    # -- navigation -------------------------------------------------------------------------

    def url(self, path):
        return self.config["base"] + path

    def open(self, path):
        self.driver.get(self.url(path))
        return self.status()

    def drain(self):
        """Moves the browser's new log entries into `self.events` (the log is read once)."""
        for entry in self.driver.get_log("performance"):
            self.events.append(json.loads(entry["message"])["message"])

    def status(self):
        """The HTTP status of the document now shown (from the last main-frame response)."""
        self.drain()
        current = self.driver.current_url
        for event in reversed(self.events):
            if event["method"] == "Network.responseReceived" and event["params"].get("type") == "Document":
                response = event["params"]["response"]
                if response["url"] == current:
                    return response["status"]
        raise Failed(f"{self.name}: no response recorded for {current}")

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def heading(self):
        return self.driver.find_element(By.TAG_NAME, "h1").text

    def button(self, label):
        """The button labelled `label` (its text, whatever the case)."""
        for element in self.driver.find_elements(By.CSS_SELECTOR, "button"):
            if element.text.strip().lower() == label.lower():
                return element
        raise Failed(f"{self.name}: no '{label}' button on {self.driver.current_url}; buttons: "
                     + ", ".join(b.text for b in self.driver.find_elements(By.CSS_SELECTOR, "button")))

    def has_button(self, label):
        try:
            self.button(label)
            return True
        except Failed:
            return False

    def click(self, label):
        self.button(label).click()
        return self.status()

    def field(self, name):
        return self.driver.find_element(By.NAME, name)

    def type_into(self, name, text):
        element = self.field(name)
        element.clear()
        element.send_keys(text)

    def hidden(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f"input[type=hidden][name={name}]").get_attribute("value")

    # -- accounts ---------------------------------------------------------------------------

    def log_in(self, account):
        """Logs in as `account` through the login form, or with the one-time link when the
        desk has no accounts yet."""
        if self.config.get("accounts"):
            self.open("/login")
            form = self.driver.find_element(By.CSS_SELECTOR, "form:has(input[type=password])")
            name = form.find_element(By.CSS_SELECTOR, "input:not([type=hidden]):not([type=password])")
            name.send_keys(account["name"])
            form.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(account["password"])
            form.find_element(By.CSS_SELECTOR, "button, input[type=submit]").click()
            check(self.status() == 200, f"{self.name}: logging in as {account['name']} gave {self.status()}")
            check("/login" not in self.driver.current_url, f"{self.name}: still on the login page: {self.text()[:300]}")
        else:
            check(self.open("/login?token=" + self.config["token"]) == 200, f"{self.name}: the login link was refused")

    # -- what the page did ------------------------------------------------------------------

    def dialogs(self):
        """Dialogs the page opened (alert, confirm, prompt, beforeunload), by their message."""
        self.drain()
        opened = [e["params"].get("message", "") for e in self.events if e["method"] == "Page.javascriptDialogOpening"]
        try:
            opened.append(self.driver.switch_to.alert.text)
        except NoAlertPresentException:
            pass
        return opened

    def requests(self):
        """Every URL the browser asked for in this session, in order."""
        self.drain()
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    # -- screenshots ------------------------------------------------------------------------

    def screenshot(self, name):
        """The whole page (not only the window) at desktop and phone width, as NAME.png and
        NAME-phone.png in the output folder."""
        for suffix, (width, height), mobile in (("", DESKTOP, False), ("-phone", PHONE, True)):
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
            # The layout at that width, then the height of the whole document.
            full = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": max(height, int(full["height"])), "deviceScaleFactor": 1, "mobile": mobile})
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            path = os.path.join(self.config["out"], f"{name}{suffix}.png")
            import base64
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # A page wider than the screen scrolls sideways: on a phone that is a layout bug.
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            check(overflow <= 1, f"{name}{suffix}: the page is {overflow}px wider than the {width}px screen")
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def quit(self):
        try:
            self.driver.quit()
        except Exception as error:  # already gone: nothing left to stop
            print(f"  ({self.name}: quit: {error})", flush=True)


# -- the scenario ---------------------------------------------------------------------------

def day_of_review(config, writer, reviewer, publisher):
    accounts = config.get("accounts")
    slug = config["entry"]
    first, final, why = config["firstText"], config["finalText"], config["rejectMessage"]

    step("the writer edits the published entry and submits it")
    writer.log_in(accounts and accounts["writer"])
    check(writer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    writer.driver.find_element(By.LINK_TEXT, "Edit").click()
    body = writer.field("body")
    original = body.get_attribute("value")
    check(len(original) > 50, "the edit form does not hold the entry's Markdown body")
    writer.type_into("body", original.rstrip("\n") + "\n\n" + first + "\n")
    writer.type_into("message", "Adds the certification answer")
    check(writer.click("Save as a new revision") == 200, f"saving the edit failed: {writer.text()[:400]}")
    check(first in writer.text(), "the saved text is not on the entry page")
    check(writer.click("Submit") == 200, "submit failed")
    check("in review" in writer.text(), "the entry is not in review after submit")

    step("the reviewer opens the queue, views the diff and rejects with a message")
    reviewer.log_in(accounts and accounts["reviewer"])
    check(reviewer.open("/") == 200, "the queue did not open")
    check(reviewer.heading() == "Review queue", f"the landing page is '{reviewer.heading()}', not the queue")
    row = reviewer.driver.find_element(By.XPATH, f"//tr[.//a[@href='/entries/{slug}']]")
    if accounts:
        check(accounts["writer"]["name"] in row.text, f"the queue does not say the writer sent it: {row.text}")
    reviewer.screenshot("serve-queue")
    row.find_element(By.LINK_TEXT, "changes against live").click()
    check(reviewer.status() == 200, "the diff page did not open")
    inserted = [e.text for e in reviewer.driver.find_elements(By.CSS_SELECTOR, "td.new ins")]
    check(any(first.split()[0] in t for t in inserted) or any(first in t for t in inserted),
          f"the diff does not mark the new text as inserted: {inserted[:5]}")
    reviewer.screenshot("serve-diff")
    check(reviewer.open(f"/entries/{slug}") == 200, "the entry page did not open for the reviewer")
    reviewer.screenshot("serve-entry")
    # Reject needs a reason: the browser itself refuses an empty one (required), and so does the server.
    reviewer.type_into("message", why)
    check(reviewer.click("Reject") == 200, f"reject failed: {reviewer.text()[:400]}")
    check("draft" in reviewer.text(), "the entry is not back in draft after the rejection")

    step("the writer reads the reason, fixes the text and resubmits")
    check(writer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    check(why in writer.text(), "the rejection message is not in the entry's history")
    writer.driver.find_element(By.LINK_TEXT, "Edit").click()
    writer.type_into("body", writer.field("body").get_attribute("value").replace(first, final))
    writer.type_into("message", "Certification answer, corrected")
    check(writer.click("Save as a new revision") == 200, "saving the fix failed")
    check(final in writer.text() and first not in writer.text().split("Live revision")[0], "the fix is not the latest text")
    check(writer.click("Submit") == 200, "resubmitting failed")

    if accounts:
        step("the writer tries to approve their own change, and is refused")
        refused_self_approval(writer, slug)

    step("the reviewer approves")
    check(reviewer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    check(reviewer.click("Approve") == 200, f"approve failed: {reviewer.text()[:400]}")
    check("approved" in reviewer.text(), "the entry is not approved")

    if accounts:
        step("the reviewer cannot publish; the publisher publishes")
        check(not reviewer.has_button("Publish"), "a reviewer is offered the Publish button")
        publisher.log_in(accounts["publisher"])
    else:
        publisher.log_in(None)
    check(publisher.open(f"/entries/{slug}") == 200, "the entry page did not open for the publisher")
    check(publisher.click("Publish") == 200, f"publish failed: {publisher.text()[:400]}")
    check("published" in publisher.text(), "the entry is not published")


def refused_self_approval(writer, slug):
    """The writer has no Approve button; a hand-made approval (the page's own form token and
    revision, as a browser could send) is refused by the server, and nothing changes."""
    check(writer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    check(not writer.has_button("Approve"), "the writer is offered an Approve button for their own change")
    csrf = writer.hidden("csrf")
    rev = writer.hidden("rev")
    # WebDriver's script runs outside the page's Content-Security-Policy, as an extension or
    # devtools would: it builds the form a forged page would send.
    writer.driver.execute_script("""
        const form = document.createElement('form');
        form.method = 'post';
        form.action = arguments[0];
        for (const [name, value] of [['csrf', arguments[1]], ['rev', arguments[2]]]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
    """, f"/entries/{slug}/actions/approve", csrf, rev)
    time.sleep(0.3)
    status = writer.status()
    check(status == 403, f"the writer's own approval got {status}, not 403: {writer.text()[:300]}")
    check(writer.open(f"/entries/{slug}") == 200 and "in review" in writer.text(), "the refused approval changed the entry")


def stale_form(config, first_browser, second_browser):
    """Two people edit the same entry; the second save finds the first and is refused with a 409
    page that shows what changed and keeps every character the second person typed."""
    slug = config["staleEntry"]
    accounts = config.get("accounts")
    step("stale form: two browsers edit the same entry")
    if accounts:
        # Each its own person (or the same person at two computers: the rule is the same).
        pass
    for browser in (first_browser, second_browser):
        check(browser.open(f"/entries/{slug}/edit") == 200, f"{browser.name}: the edit form did not open")
    first_browser.type_into("title", "Title saved first")
    check(first_browser.click("Save as a new revision") == 200, "the first save failed")
    typed = "Second editor's text: <kept> & \"quoted\", ünïcödé, two\nlines."
    second_browser.type_into("body", typed)
    second_browser.type_into("message", "my careful change")
    status = second_browser.click("Save as a new revision")
    check(status == 409, f"the stale save got {status}, not 409")
    page = second_browser.text()
    check("Changed while you were editing" in page or "Changed meanwhile" in page, f"the 409 page does not say what happened: {page[:300]}")
    check("Title saved first" in page, "the 409 page does not show the other person's change")
    kept = second_browser.field("body").get_attribute("value").replace("\r\n", "\n")
    check(kept == typed, f"the typed body was not kept: {kept!r}")
    check(second_browser.field("message").get_attribute("value") == "my careful change", "the typed message was not kept")
    second_browser.screenshot("serve-conflict")


def hostile_entry(config, browser):
    """An imported page full of script, handlers, javascript: links and other origins renders
    inert: no dialog, none of its scripts ran, and no request leaves this origin."""
    step("hostile entry: nothing runs, nothing is fetched from elsewhere")
    origin = config["base"]
    browser.drain()
    before = len(browser.requests())
    for path in (f"/entries/{config['hostileEntry']}", f"/entries/{config['hostileEntry']}/diff",
                 "/entries?q=" + urllib.parse.quote("hostile"), "/"):
        browser.open(path)
        time.sleep(0.5)  # time for late loads: images, styles, fonts, refreshes
        # Hover and click what a person might (a link's href is not followed by a hover).
        for element in browser.driver.find_elements(By.CSS_SELECTOR, ".rendered *")[:50]:
            try:
                browser.driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))", element)
            except Exception:
                pass
    check(browser.dialogs() == [], f"a dialog opened: {browser.dialogs()}")
    ran = browser.driver.execute_script("return [typeof window.pmcmsPwned, document.title]")
    check(ran[0] == "undefined", "a script of the hostile page ran (window.pmcmsPwned is set)")
    urls = browser.requests()[before:]
    foreign = [u for u in urls if not (u == origin or u.startswith(origin + "/"))]
    check(urls, "no requests were recorded at all (the log is not working)")
    check(foreign == [], f"requests left {origin}: {foreign}")
    # The page kept its text: inert, not lost.
    browser.open(f"/entries/{config['hostileEntry']}")
    check(config["hostileText"] in browser.text(), "the hostile entry's own text is not shown")
    print(f"  {len(urls)} requests, all to {origin}", flush=True)


def logout(config, browser):
    step("logout: afterwards every page sends the browser to the login page")
    browser.open("/")
    browser.click("Log out")
    for path in ("/", f"/entries/{config['entry']}", "/entries"):
        browser.open(path)
        check("/login" in browser.driver.current_url or browser.driver.find_elements(By.CSS_SELECTOR, "input[type=password]"),
              f"after logout {path} shows {browser.driver.current_url}: {browser.text()[:200]}")


def main():
    config = json.load(sys.stdin)
    os.makedirs(config["out"], exist_ok=True)
    browsers = []
    try:
        def browser(name):
            b = Browser(config, name)
            browsers.append(b)
            return b

        writer, reviewer, publisher = browser("writer"), browser("reviewer"), browser("publisher")
        day_of_review(config, writer, reviewer, publisher)
        # A second writer's browser for the stale form: the writer and someone else at once.
        other = browser("second writer")
        accounts = config.get("accounts")
        other.log_in(accounts and accounts.get("second", accounts["writer"]))
        stale_form(config, writer, other)
        hostile_entry(config, reviewer)
        if accounts:
            logout(config, writer)
        else:
            step("logout: skipped (no accounts in this build of the desk)")
        print("PASS", flush=True)
        return 0
    except Failed as failure:
        print(f"FAIL: {failure}", flush=True)
        for b in browsers:
            try:
                b.driver.save_screenshot(os.path.join(config["out"], f"failure-{b.name.replace(' ', '-')}.png"))
            except Exception:
                pass
        return 1
    except Exception:
        traceback.print_exc()
        print("FAIL: the scenario stopped on an error (above)", flush=True)
        return 1
    finally:
        for b in browsers:
            b.quit()


if __name__ == "__main__":
    sys.exit(main())
