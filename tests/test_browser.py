"""The workbench in a real browser: Debian's Chromium driven by Selenium, against `minutes serve`.

One secretary's whole meeting, by clicking and typing: a new meeting, its agenda, the notes
during the meeting, the documents, the draft to the chair, her approval and the minutes to the
outbox. Each page is photographed at 1280×800 and at a phone's width, checked with axe-core for
serious accessibility violations, and one form is used with the keyboard only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, served, use_muistio

from pipeline.cli import main

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER and AXE.exists()),
    reason="needs Debian's chromium and chromium-driver, and axe-core (scripts/setup.sh)",
)
SHOTS = Path(os.environ.get("MINUTES_SCREENSHOTS", ROOT / "outputs" / "screenshots"))
WIDE, NARROW = (1280, 800), (390, 844)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the roster only: the secretary starts from nothing."""
    folder = tmp_path_factory.mktemp("workbench")
    (folder / "inputs").mkdir()
    roster = (ROOT / "inputs" / "organisation.yaml").read_text(encoding="utf-8")
    # No group asks for PDF: sending then needs no LibreOffice run per group.
    roster = roster.replace("formats: [docx, pdf]", "formats: [docx]")
    roster = roster.replace("formats: [odt, pdf]", "formats: [odt]")
    (folder / "inputs" / "organisation.yaml").write_text(roster, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def address(project: Path) -> Iterator[str]:
    """`minutes serve` as the secretary starts it; the address it prints, with its token."""
    with serve(project) as url:
        yield url


@contextmanager
def serve(project: Path) -> Iterator[str]:
    """`minutes serve` in `project`; the address it prints, with its token."""
    with served(project) as line:
        match = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        assert match, line
        yield match.group()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=fi",
        f"--window-size={WIDE[0]},{WIDE[1]}",
    ):
        options.add_argument(flag)
    # Finnish as the secretary's browser has it (dates as d.m.yyyy): Debian's chromium-l10n
    # and the language of the environment.
    env = {**os.environ, "LANGUAGE": "fi", "LC_ALL": "fi_FI.UTF-8", "LANG": "fi_FI.UTF-8"}
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER, env=env))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


# Looking at each page.


def look(driver, name: str, at: object = None) -> None:
    """Photograph the page wide and narrow (from the top, or with `at` in view), and check it
    with axe-core."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in (("wide", WIDE), ("narrow", NARROW)):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": label == "narrow"},
        )
        if at is None:
            driver.execute_script("window.scrollTo(0, 0)")
        else:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", at)
        driver.save_screenshot(str(SHOTS / f"{name}_{label}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + "\n".join(serious)


def wait_for(condition, timeout: float = 30.0, what: object = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what() if callable(what) else what}")
        time.sleep(0.1)


def click(driver, css: str) -> None:
    """Press the button or link `css` selects, and wait for the page it leads to."""
    from selenium.webdriver.common.by import By

    new_page(driver, driver.find_element(By.CSS_SELECTOR, css))


def shown(driver, css: str) -> bool:
    from selenium.webdriver.common.by import By

    return bool(driver.find_elements(By.CSS_SELECTOR, css))


def new_page(driver, element) -> None:
    """Click `element` and wait until the browser shows the next page."""
    driver.execute_script("window.beforeClick = true")
    element.click()
    wait_for(
        lambda: driver.execute_script(
            "return !window.beforeClick && document.readyState === 'complete'"
        ),
        timeout=120,
        what="the next page",
    )


def type_date(element, day: dt.date) -> None:
    """Type a date as the browser's date field shows it: day first (as in Finland) or, where
    the browser's language is American English, month first."""
    for keys in (
        f"{day.day:02d}{day.month:02d}{day.year}",
        f"{day.month:02d}{day.day:02d}{day.year}",
    ):
        element.clear()
        element.send_keys(keys)
        if element.get_attribute("value") == day.isoformat():
            return
    raise AssertionError(f"the date field took {element.get_attribute('value')!r}")


def main_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "main").text


# The secretary's meeting. Buttons and fields are found by what they do (their form, name or
# id), not by their words, which the translators may improve.


def test_a_whole_meeting_by_clicking_and_typing(browser, address: str, project: Path):
    """Verify a new meeting goes from agenda to minutes in the outbox through the pages, and
    that everything the workbench wrote passes `minutes check`."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    day = dt.date.today() - dt.timedelta(days=1)  # held yesterday: approvable today
    meeting = day.isoformat()
    driver.get(address)
    assert "token" not in driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text == "Kokoukset"  # in Finnish
    look(driver, "1_meetings")

    # Keyboard only: from the top of the page, Tab to the date field, type, Enter.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip"  # the skip link comes first
    for _ in range(20):
        if active.get_attribute("id") == "new-date":
            break
        active.send_keys(Keys.TAB)
        active = driver.switch_to.active_element
    assert active.get_attribute("id") == "new-date"
    type_date(active, day)
    active.send_keys(Keys.ENTER)
    wait_for(lambda: driver.current_url.endswith(f"/m/{meeting}/agenda"), what="the agenda")
    assert driver.find_element(By.ID, "place").get_attribute("aria-invalid") == "true"
    look(driver, "2_agenda_new")

    # The agenda: the place, and a matter of its own before Muut asiat.
    driver.find_element(By.ID, "place").send_keys("Kaupungintalo, kokoushuone 2")
    titles = "input[id$='-title'][id^='items-']"
    standard = [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, titles)]
    click(driver, "button[value=add]")
    new = len(standard)
    driver.find_element(By.ID, f"items-{new}-title").send_keys("Talousarvio 2027 & investoinnit")
    driver.find_element(By.ID, f"items-{new}-presenter").send_keys("talousjohtaja")
    driver.find_element(By.ID, f"items-{new}-background").send_keys(
        "Esitys valmistuu 14.12.\n\n- investoinnit\n- veroprosentti"
    )
    while new > standard.index("Muut asiat"):
        click(driver, f"button[value=up-{new}]")
        new -= 1
    item = new + 1  # its number on the agenda and in the notes
    click(driver, "button[value=save]")
    assert shown(driver, ".msg-ok") and not shown(driver, "[aria-invalid=true]")
    assert driver.find_element(By.ID, f"items-{new}-title").get_attribute("value") == (
        "Talousarvio 2027 & investoinnit"
    )
    look(driver, "2_agenda")

    # Keyboard only: an item's fields in reading order, then its buttons.
    driver.find_element(By.ID, f"items-{new}-title").click()
    order = []
    for _ in range(8):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        order.append(focused.get_attribute("id") or focused.get_attribute("value"))
    assert order == [
        f"items-{new}-presenter",
        f"items-{new}-background",
        f"items-{new}-attachments",
        f"items-{new}-upload",
        f"items-{new}-confidential",
        f"up-{new}",
        f"down-{new}",
        f"remove-{new}",
    ]

    # The notes, during the meeting: autosaved as the secretary types.
    click(driver, "a[href$='/notes']")
    for name in ("Maija Meikäläinen", "Pekka Perälä", "Jussi Järvinen"):
        driver.find_element(By.XPATH, f"//label[normalize-space()='{name}']").click()
    secretary = driver.find_element(By.CSS_SELECTOR, "input[value='Teppo Testaaja']")
    secretary.send_keys(Keys.SPACE)  # a checkbox ticks from the keyboard too
    assert secretary.is_selected()
    look(driver, "3_notes")
    driver.find_element(By.ID, "opened").send_keys("1703")
    discussion = driver.find_element(By.ID, f"items-{item}-discussion")
    discussion.send_keys("Ryhmä päätti kannattaa investointeja.")
    status = driver.find_element(By.ID, "autosave-status")
    wait_for(
        lambda: shown(driver, ".finding mark"),
        what=lambda: f"the guard; the page says {status.text!r}",
    )
    finding = driver.find_element(By.CSS_SELECTOR, ".finding")
    assert finding.find_element(By.TAG_NAME, "mark").text == "päätti"
    assert finding.find_element(By.CLASS_NAME, "suggestion").text
    look(driver, "3_notes_guard", at=finding)
    discussion.clear()
    discussion.send_keys("Talousjohtaja esitteli investointiohjelman.")
    driver.find_element(By.ID, f"items-{item}-agreed").send_keys("Investoinnit vaiheistetaan.")
    driver.find_element(By.XPATH, f"//label[@for='items-{item}-dissent-0-g-ps']").click()
    driver.find_element(By.ID, f"items-{item}-dissent-0-position").send_keys(
        "Ryhmä ei yhdy veroprosentin korotukseen."
    )
    driver.find_element(By.ID, f"items-{item}-follow_up-0-task").send_keys("Vaiheistuslaskelma")
    driver.find_element(By.ID, f"items-{item}-follow_up-0-owner").send_keys("talousjohtaja")
    wait_for(
        lambda: status.get_attribute("data-state") == "saved" and not shown(driver, ".finding"),
        what=lambda: f"autosave; the page says {status.text!r}",
    )
    # Typing and leaving at once: the last words still reach the file.
    last = driver.find_element(By.ID, f"items-{len(standard) + 1}-discussion")
    last.send_keys("Seuraava kokous tammikuussa.")
    driver.get(address.split("?")[0] + f"m/{meeting}/")
    notes = project / "inputs" / meeting / "notes.yaml"
    wait_for(lambda: "tammikuussa" in notes.read_text(encoding="utf-8"), what="the last save")

    # The documents: build, look at the draft's pages.
    click(driver, "a[href$='/documents']")
    click(driver, "form[action$='/build'] button")
    draft = f"poytakirja_luonnos_{meeting}.docx"
    click(driver, f"a[href$='/preview/{draft}']")
    images = driver.find_elements(By.CSS_SELECTOR, ".pages img")
    assert images and all(
        driver.execute_script("return arguments[0].naturalWidth", img) > 0 for img in images
    )
    look(driver, "4_preview")

    # Review: the draft to the chair (dry run), then her code.
    click(driver, "a[href$='/review']")
    code = driver.find_element(By.CSS_SELECTOR, ".code").text
    click(driver, "form[action$='/send/review'] button")
    assert "maija.meikalainen@example.fi" in main_text(driver)
    look(driver, "5_confirm")
    click(driver, "form[action$='/send/review'] button.primary")
    assert list((project / "outputs" / meeting / "outbox" / "review").glob("*.eml"))
    look(driver, "6_review_sent")
    driver.find_element(By.ID, "code").send_keys(code.lower())
    click(driver, "form[action$='/approve'] button")
    assert shown(driver, "[data-status=approved]")
    look(driver, "6_review_approved")

    # Distribution: the minutes and cover letters to every group's outbox.
    click(driver, "a[href$='/distribution']")
    click(driver, "form[action$='/send/minutes'] button")
    assert "sdp.valtuustoryhma@example.fi" in main_text(driver)
    click(driver, "form[action$='/send/minutes'] button.primary")
    look(driver, "7_distribution")
    outbox = project / "outputs" / meeting / "outbox" / "minutes"
    assert len(list(outbox.glob("*.eml"))) == 7

    click(driver, f"nav a[href$='/m/{meeting}/']")
    assert shown(driver, ".state-approved")
    look(driver, "8_overview")
    click(driver, "nav a[href='/followups']")
    assert "Vaiheistuslaskelma" in main_text(driver)
    look(driver, "9_followups")
    click(driver, "nav a[href='/report']")
    assert shown(driver, "pre.status")
    look(driver, "10_report")

    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["check", meeting])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output


def test_a_roster_that_keeps_a_muistio_never_reads_poytakirja(browser, tmp_path: Path):
    """Verify that with `wording.record: muistio` the pages of a meeting, as the browser shows
    them, call the record a muistio: the next step, the buttons, the hints."""
    from selenium.webdriver.common.by import By

    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    for path in (tmp_path / "inputs").glob("*/*.yaml"):  # the secretary's own word too
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("pöytäkirja", "muistio"), encoding="utf-8")
    use_muistio(tmp_path)
    with serve(tmp_path) as address:
        browser.get(address)
        assert "muodosta muistioluonnos" in main_text(browser)  # the earlier meeting's step
        look(browser, "muistio_1_meetings")
        home = address.split("?")[0]
        for n, tab in enumerate(("documents", "review", "distribution"), 2):
            browser.get(f"{home}m/2026-12-07/{tab}")
            page = browser.find_element(By.TAG_NAME, "html").text + browser.title
            assert "muistio" in page and "pöytäkirj" not in page.casefold(), page
            look(browser, f"muistio_{n}_{tab}")


def test_the_refusal_without_the_token_is_styled(browser, project: Path):
    """Verify the page that refuses a visitor without the sign-in link is laid out by the
    workbench's stylesheet (it was refused with the page, which came out as bare HTML)."""
    from selenium.webdriver.common.by import By

    with serve(project) as address:
        browser.get(address.split("?")[0])  # no token: refused
        assert "minutes serve" in main_text(browser)
        header = browser.find_element(By.TAG_NAME, "header")
        assert header.value_of_css_property("background-color") == "rgba(255, 255, 255, 1)"
        body = browser.find_element(By.TAG_NAME, "body")
        assert body.value_of_css_property("background-color") == "rgba(246, 248, 251, 1)"
        look(browser, "0_refused")


def test_the_browser_is_started_without_the_token_in_its_command_line(
    browser, project: Path, tmp_path: Path
):
    """Verify `minutes serve` starts the browser with an owner-only page that leads on to the
    workbench, not with the token in its command line, which every user of a shared PC can
    read (and sign in with first); and that the page signs the browser in."""
    from selenium.webdriver.common.by import By

    called = tmp_path / "called.txt"
    opener = tmp_path / "browser.sh"  # the browser the secretary's desktop would start
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {called}\n', encoding="utf-8")
    opener.chmod(0o755)
    with served(project, browser=opener) as line:
        printed = re.search(r"token=(\S+)", line)
        assert printed, line
        wait_for(lambda: called.exists() and called.read_text(encoding="utf-8"), what="browser")
        argument = called.read_text(encoding="utf-8").strip()
        assert printed.group(1) not in argument
        assert argument.startswith("file:///")
        page = Path(argument.removeprefix("file://"))
        assert page.stat().st_mode & 0o777 == 0o600
        assert page.parent.stat().st_mode & 0o777 == 0o700
        browser.get(argument)
        wait_for(  # the page, the address with the token, then the workbench without it
            lambda: (
                browser.current_url.startswith("http://127.0.0.1")
                and "token" not in browser.current_url
                and browser.execute_script("return document.readyState") == "complete"
            ),
            what="the workbench",
        )
        assert browser.find_element(By.TAG_NAME, "h1").text == "Kokoukset"
    wait_for(lambda: not page.exists(), timeout=10, what="the page gone with the server")
