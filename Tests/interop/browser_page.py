"""The system's headless Chromium (Debian `chromium` + `chromium-driver`) driven by selenium, with a
fake camera and microphone, opened on the web app. Each page is its own browser process, as two
people's browsers would be."""
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import JavascriptException
from selenium.webdriver.chrome.service import Service

CHROMIUM_FLAGS = [
    "--headless=new",
    # getUserMedia gets a synthetic camera (a moving test pattern) and microphone (a beep), and
    # the permission prompt is answered yes.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    # The server's certificate is its self-signed development one.
    "--ignore-certificate-errors",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1280,800",
    # Keep the browser off the network: no background fetches, and host candidates as plain
    # addresses rather than mDNS names (which would send multicast queries).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=WebRtcHideLocalIpsWithMdns,MediaRouter,OptimizationHints",
    "--disable-dev-shm-usage",
]


def chromium_paths() -> tuple:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        # make test-deps installs them where the distribution packages them (Debian); Ubuntu
        # ships Chromium as a snap only.
        pytest.skip("chromium and chromedriver are not installed: apt-get install chromium chromium-driver")
    return browser, driver


class BrowserPage:
    """One Chromium with one tab on the web app."""

    def __init__(self, name: str, allow_media: bool = True):
        """`allow_media=False` answers the camera and microphone prompt with no."""
        self.name = name
        browser, driver = chromium_paths()
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        if not allow_media:
            options.add_argument("--use-fake-ui-for-media-stream=deny")
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium refuses to run its sandbox as root
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(driver))
        self.driver.set_script_timeout(10)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def js(self, script: str, *args):
        """Runs `script` (a function body; `return` a value or a promise) in the page."""
        return self.driver.execute_script(script, *args)

    def wait_for(self, script: str, timeout: float = 15, what: str = None):
        """Polls `script` until it returns something truthy; returns that."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = self.js(script)
                if value:
                    return value
            except JavascriptException as error:
                last_error = error
            time.sleep(0.2)
        raise AssertionError(
            f"{self.name}: timed out waiting for {what or script}"
            f"{f' (last error: {last_error.msg})' if last_error else ''}\n{self.diagnostics()}")

    def receive_stats(self) -> dict:
        return self.js("return window.sfuApp.receiveStats()")

    def tiles(self) -> list:
        return self.js("return window.sfuApp.tiles()")

    def click(self, selector: str) -> None:
        self.driver.find_element("css selector", selector).click()

    def screenshot(self, directory: Path) -> Path:
        path = directory / f"{self.name}.png"
        self.driver.save_screenshot(str(path))
        print(f"screenshot of {self.name}: {path}")
        return path

    def console(self) -> list:
        return [f"{entry['level']} {entry['message']}" for entry in self.driver.get_log("browser")]

    def diagnostics(self) -> str:
        try:
            state = self.js("return window.sfuApp && {state: window.sfuApp.state, tiles: window.sfuApp.tiles(),"
                            " notices: [...document.querySelectorAll('.notice p')].map(p => p.textContent),"
                            " connection: document.querySelector('#connection').title}")
        except Exception as error:  # the page itself may be what broke
            state = repr(error)
        return f"{self.name} state: {json.dumps(state)}\n{self.name} console:\n" + "\n".join(self.console()[-30:])

    def close(self) -> None:
        self.driver.quit()
