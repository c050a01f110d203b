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
import re
import signal
import sys
import time
import traceback
import urllib.parse

os.setpgrp()  # chromedriver and Chromium inherit this group; the Swift test kills the group last

from selenium import webdriver  # noqa: E402  (after setpgrp, on purpose)
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


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
# Screenshots show the top of a long page (an entry has 75 links): the README needs no more.
MAX_SHOT_HEIGHT = {DESKTOP: 1500, PHONE: 2000}


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
        """The HTTP status of the document now shown (from the last main-frame response; the
        browser's log may trail the page by a moment, so it is read again, for at most 10 s)."""
        for _ in range(100):
            # Read again each time: right after a click the browser may still be on its way
            # to the next page, so the address read first can be the page being left.
            current = self.driver.current_url
            self.drain()
            for event in reversed(self.events):
                if event["method"] == "Network.responseReceived" and event["params"].get("type") == "Document":
                    response = event["params"]["response"]
                    if response["url"] == current:
                        return response["status"]
                    break  # the last document is another page: wait for this one's
            time.sleep(0.1)
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
        """Clicks a form's button and waits for the page the form leads to."""
        self.mark_page()
        self.button(label).click()
        self.wait_for_next_page()
        return self.status()

    def mark_page(self):
        """Marks the document now shown, so that `wait_for_next_page` can tell the next one
        from it (a new document has no mark)."""
        self.driver.execute_script("window.__pmcmsLeaving = true")

    def wait_for_next_page(self):
        """Waits until the marked document is gone and the next one has loaded. Selenium's
        `staleness_of` is not used: while a page is replaced, chromedriver sometimes answers
        "Node with given id does not belong to the document" instead of "stale element"."""
        WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return window.__pmcmsLeaving !== true && document.readyState === 'complete'"))

    def field(self, name):
        return self.driver.find_element(By.NAME, name)

    def type_into(self, name, text):
        element = self.field(name)
        element.clear()
        element.send_keys(text)

    def hidden(self, name):
        """A hidden field of the page's own forms (not the top bar's logout form)."""
        return self.driver.find_element(By.CSS_SELECTOR, f"main input[type=hidden][name={name}]").get_attribute("value")

    # -- accounts ---------------------------------------------------------------------------

    def log_in(self, account):
        """Logs in as `account` through the login form."""
        self.open("/login")
        form = self.driver.find_element(By.CSS_SELECTOR, "form:has(input[type=password])")
        form.find_element(By.CSS_SELECTOR, "input:not([type=hidden]):not([type=password])").send_keys(account["name"])
        form.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(account["password"])
        self.mark_page()
        form.find_element(By.CSS_SELECTOR, "button, input[type=submit]").click()
        self.wait_for_next_page()
        check(self.status() == 200, f"{self.name}: logging in as {account['name']} gave {self.status()}: {self.text()[:300]}")
        check("/login" not in self.driver.current_url, f"{self.name}: still on the login page: {self.text()[:300]}")

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
        """Every request the page made in this session, in order, as (URL, why it was blocked):
        a request the browser blocked itself (the Content-Security-Policy: blocked reason
        "csp") never left it; every other one did."""
        self.drain()
        blocked = {e["params"]["requestId"]: e["params"]["blockedReason"] for e in self.events
                   if e["method"] == "Network.loadingFailed" and e["params"].get("blockedReason")}
        return [(e["params"]["request"]["url"], blocked.get(e["params"]["requestId"])) for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    # -- screenshots ------------------------------------------------------------------------

    def screenshot(self, name):
        """The whole page (not only the window) at desktop and phone width, as NAME.png and
        NAME-phone.png in the output folder."""
        for suffix, (width, height), mobile in (("", DESKTOP, False), ("-phone", PHONE, True)):
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
            # The layout at that width, then the height of the whole document.
            full = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            shot_height = min(max(height, int(full["height"])), MAX_SHOT_HEIGHT[(width, height)])
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": shot_height, "deviceScaleFactor": 1, "mobile": mobile})
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
            path = os.path.join(self.config["out"], f"{name}{suffix}.png")
            import base64
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # A page wider than the screen scrolls sideways: on a phone that is a layout bug.
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 1:
                # Name the outermost elements that stick out, to say where to look.
                culprits = self.driver.execute_script("""
                    const width = document.documentElement.clientWidth, out = [];
                    for (const e of document.querySelectorAll('body *')) {
                        if (e.getBoundingClientRect().right > width + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
                            out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().width) + 'px');
                    }
                    return out.slice(0, 8);""")
                raise Failed(f"{name}{suffix}: the page is {overflow}px wider than the {width}px screen: {culprits}")
            # The top bar's pieces (name, pages, search, account) fit two rows at any width: on a
            # phone the account once took a third row below a lone search box.
            rows = self.driver.execute_script("""
                const tops = [...document.querySelectorAll('header.top > *')].map(e => e.getBoundingClientRect().top);
                const rows = [];
                for (const top of tops) if (!rows.some(r => Math.abs(r - top) < 12)) rows.push(top);
                return rows.length;""")
            check(rows <= 2, f"{name}{suffix}: the top bar wraps into {rows} rows at {width}px")
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def quit(self):
        try:
            self.driver.quit()
        except Exception as error:  # already gone: nothing left to stop
            print(f"  ({self.name}: quit: {error})", flush=True)


# -- the scenario ---------------------------------------------------------------------------

def day_of_review(config, writer, reviewer, publisher):
    accounts = config["accounts"]
    slug = config["entry"]
    first, final, why = config["firstText"], config["finalText"], config["rejectMessage"]

    step("the writer logs in, edits the published entry and submits it")
    writer.log_in(accounts["writer"])
    check(writer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    writer.driver.find_element(By.LINK_TEXT, "Edit").click()
    body = writer.field("body")
    original = body.get_attribute("value")
    check(len(original) > 50, "the edit form does not hold the entry's Markdown body")
    check("typically" in original, "the seed entry's text is not the one this scenario edits")
    # One word changed in the first paragraph, and a paragraph added.
    writer.type_into("body", original.replace("typically", "usually", 1).rstrip("\n") + "\n\n" + first + "\n")
    writer.type_into("message", "Adds the certification answer")
    check(writer.click("Save as a new revision") == 200, f"saving the edit failed: {writer.text()[:400]}")
    check(first in writer.text(), "the saved text is not on the entry page")
    check(writer.click("Submit") == 200, f"submit failed: {writer.text()[:400]}")
    check("in review" in writer.text(), "the entry is not in review after submit")

    step("the reviewer opens the queue, views the diff and rejects with a message")
    reviewer.log_in(accounts["reviewer"])
    check(reviewer.open("/") == 200, "the queue did not open")
    check(reviewer.heading() == "Review queue", f"the landing page is '{reviewer.heading()}', not the queue")
    row = reviewer.driver.find_element(By.XPATH, f"//tr[.//a[@href='/entries/{slug}']]")
    check(accounts["writer"]["name"] in row.text, f"the queue does not say the writer sent it: {row.text}")
    reviewer.screenshot("serve-queue")
    row.find_element(By.LINK_TEXT, "changes against live").click()
    check(reviewer.status() == 200, "the diff page did not open")
    # The new paragraph is on the new side only, in rows marked as added.
    added = " ".join(e.text for e in reviewer.driver.find_elements(By.CSS_SELECTOR, "table.body-diff tr.added td.new"))
    check(first in added, f"the diff does not show the new text as added: {added[:300]}")
    old_side = " ".join(e.text for e in reviewer.driver.find_elements(By.CSS_SELECTOR, "table.body-diff td.old"))
    check(first not in old_side, "the new text is on the old side of the diff")
    # The changed word is marked on each side of its line.
    check("typically" in [e.text for e in reviewer.driver.find_elements(By.CSS_SELECTOR, "table.body-diff tr.changed td.old del")]
          and "usually" in [e.text for e in reviewer.driver.find_elements(By.CSS_SELECTOR, "table.body-diff tr.changed td.new ins")],
          "the changed word is not marked in the diff")
    reviewer.screenshot("serve-diff")
    check(reviewer.open(f"/entries/{slug}") == 200, "the entry page did not open for the reviewer")
    reviewer.screenshot("serve-entry")
    # A reason is required: the browser refuses an empty one (required), and so does the server.
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
    check(final in writer.text(), "the fix is not the latest text")
    check(writer.click("Submit") == 200, "resubmitting failed")

    step("the writer tries to approve their own change, and is refused")
    refused_approval(writer, slug, "You are logged in as " + accounts["writer"]["name"] + ", a writer")

    step("the reviewer approves; a reviewer may not publish")
    check(reviewer.open(f"/entries/{slug}") == 200, "the entry page did not open")
    check(reviewer.click("Approve") == 200, f"approve failed: {reviewer.text()[:400]}")
    check("approved" in reviewer.text(), "the entry is not approved")
    check(not reviewer.has_button("Publish"), "a reviewer is offered the Publish button")

    step("the publisher publishes")
    publisher.log_in(accounts["publisher"])
    check(publisher.open(f"/entries/{slug}") == 200, "the entry page did not open for the publisher")
    check(publisher.click("Publish") == 200, f"publish failed: {publisher.text()[:400]}")
    check("published" in publisher.text(), "the entry is not published")

    step("a reviewer who wrote a change may not approve it")
    own = config["ownEntry"]
    check(reviewer.open(f"/entries/{own}/edit") == 200, "the reviewer's edit form did not open")
    reviewer.type_into("title", "What is a RACI matrix, in one line?")
    check(reviewer.click("Save as a new revision") == 200, "the reviewer's edit failed")
    check(reviewer.click("Submit") == 200, "the reviewer's submit failed")
    refused_approval(reviewer, own, "You wrote part of this change")


def refused_approval(person, slug, reason):
    """`person` is offered no Approve button; a hand-made approval (the session's own form
    token and the revision shown, as a browser could send) is refused with a 403 that says
    `reason`, and the entry stays in review."""
    check(person.open(f"/entries/{slug}") == 200, "the entry page did not open")
    check(not person.has_button("Approve"), f"{person.name} is offered an Approve button for their own change")
    # The session's form token (the logout form carries it too) and the revision shown.
    csrf = person.driver.find_element(By.CSS_SELECTOR, "input[type=hidden][name=csrf]").get_attribute("value")
    shown = re.search(r"latest r(\d+)", person.driver.find_element(By.CSS_SELECTOR, "main .meta").text)
    check(shown, "the entry page does not say which revision is the latest")
    # WebDriver's script runs outside the page's Content-Security-Policy, as an extension or
    # devtools would: it builds and sends the form a forged page would.
    person.mark_page()
    person.driver.execute_script("""
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
    """, f"/entries/{slug}/actions/approve", csrf, shown.group(1))
    person.wait_for_next_page()
    status = person.status()
    check(status == 403 and reason in person.text(),
          f"{person.name}'s approval of their own change got {status}: {person.text()[:300]}")
    check(person.open(f"/entries/{slug}") == 200 and "in review" in person.text(), "the refused approval changed the entry")


def stale_form(config, first_browser, second_browser):
    """Two people edit the same entry; the second save finds the first and is refused with a 409
    page that shows what changed and keeps every character the second person typed."""
    slug = config["staleEntry"]
    step("stale form: two browsers edit the same entry")
    for browser in (first_browser, second_browser):
        check(browser.open(f"/entries/{slug}/edit") == 200, f"{browser.name}: the edit form did not open")
    first_browser.type_into("title", "Title saved first")
    check(first_browser.click("Save as a new revision") == 200, "the first save failed")
    typed = "Second editor's text: <kept> & \"quoted\", ünïcödé, two\nlines."
    second_browser.type_into("body", typed)
    # A related question added on a line of its own, as the editor's front matter lists them.
    links = (second_browser.field("related").get_attribute("value").rstrip("\n") + "\n" + config["entry"]).lstrip("\n")
    second_browser.type_into("related", links)
    second_browser.type_into("message", "my careful change")
    status = second_browser.click("Save as a new revision")
    check(status == 409, f"the stale save got {status}, not 409")
    page = second_browser.text()
    check("Changed while you were editing" in page or "Changed meanwhile" in page, f"the 409 page does not say what happened: {page[:300]}")
    check("Title saved first" in page, "the 409 page does not show the other person's change")
    kept = second_browser.field("body").get_attribute("value").replace("\r\n", "\n")
    check(kept == typed, f"the typed body was not kept: {kept!r}")
    check(second_browser.field("message").get_attribute("value") == "my careful change", "the typed message was not kept")
    kept = second_browser.field("related").get_attribute("value").replace("\r\n", "\n")
    check(kept == links, f"the typed related questions were not kept: {kept!r}")
    # The title, which the second person left alone, is now the first person's: saving again
    # must not undo a change the second person never touched.
    title = second_browser.field("title").get_attribute("value")
    check(title == "Title saved first", f"the title left alone was not brought up to date: {title!r}")
    second_browser.screenshot("serve-conflict")
    # Saving again, knowing, writes it: the entry page lists the new related question.
    check(second_browser.click("Save as a new revision") == 200, f"the second save failed: {second_browser.text()[:400]}")
    related = second_browser.driver.find_elements(By.CSS_SELECTOR, f'ol.links a[href="/entries/{config["entry"]}"]')
    check(related, "the related question added in the form is not on the entry page")
    check("Title saved first" in second_browser.driver.find_element(By.TAG_NAME, "h1").text, "the first save's title was undone by the second")


def hostile_entry(config, browser):
    """An imported page full of script, handlers, javascript: links and other origins renders
    inert: no dialog, none of its scripts ran, and no request leaves this origin."""
    step("hostile entry: nothing runs, nothing is fetched from elsewhere")
    origin = config["base"]
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
    requests = browser.requests()[before:]
    check(requests, "no requests were recorded at all (the log is not working)")
    sent = [url for url, blocked in requests if not blocked]
    foreign = [url for url in sent if not (url == origin or url.startswith(origin + "/"))]
    check(foreign == [], f"requests left {origin}: {foreign}")
    stopped = sorted({url for url, blocked in requests if blocked})
    # The page kept its text: inert, not lost.
    browser.open(f"/entries/{config['hostileEntry']}")
    check(config["hostileText"] in browser.text(), "the hostile entry's own text is not shown")
    print(f"  {len(sent)} requests, all to {origin}; {len(stopped)} others blocked by the browser: {stopped}", flush=True)


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
        # Another writer at another computer edits the entry the first writer has open.
        other = browser("second writer")
        other.log_in(config["accounts"]["second"])
        stale_form(config, writer, other)
        hostile_entry(config, reviewer)
        logout(config, writer)
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
        # Without chromedriver's native stack (lines of addresses), which says nothing here.
        print("\n".join(l for l in traceback.format_exc().splitlines() if not l.startswith("#")), flush=True)
        print("FAIL: the scenario stopped on an error (above)", flush=True)
        return 1
    finally:
        for b in browsers:
            b.quit()


if __name__ == "__main__":
    sys.exit(main())
