"""A real headless Chromium (Debian's chromium and chromium-driver, through Selenium) on a
served page, and what its page's terminal was sent.

The page draws the terminal on a canvas (xterm.js), so the words on it are read where the
page reads them: a script added before the page's own wraps ``WebSocket`` and keeps every
byte the page's websocket receives (and what it sends). The keys are typed into the page as
a person types them.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from tests.helpers.served import plain

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Without these, Chromium on a closed network waits on updates, sync and QUIC probes.
QUIET = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
KEEP_WHAT_THE_TERMINAL_RECEIVES_AND_SENDS = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__received = "";
  window.__sent = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.binaryType = "arraybuffer";
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) {
          window.__received += decoder.decode(event.data, { stream: true });
        }
      });
    }
    send(data) {
      if (typeof data === "string") window.__sent.push(data);
      return super.send(data);
    }
  };
})();
"""


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian: apt-get install chromium chromium-driver)"
    return None


class Browser:
    """One person's browser: a fresh profile, a window the size of a laptop's."""

    def __init__(self, profile: Path, base_url: str, size: tuple[int, int] = (1100, 700)):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (*QUIET, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        keep = {"source": KEEP_WHAT_THE_TERMINAL_RECEIVES_AND_SENDS}
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", keep)
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def page_text(self) -> str:
        return self.driver.find_element("tag name", "body").text

    def received(self) -> str:
        """Everything the page's terminal was sent, escape sequences and all."""
        return self.driver.execute_script("return window.__received || ''")

    def typed(self) -> str:
        """What the page's terminal sent its app as typed input since the last call."""
        packets = self.driver.execute_script("const sent = window.__sent; window.__sent = []; return sent")
        return "".join(packet[1] for packet in map(json.loads, packets) if packet[0] == "stdin" and len(packet) == 2)

    def text(self, since: int = 0) -> str:
        return plain(self.received()[since:].encode())

    def mark(self) -> int:
        return len(self.received())

    def wait_for(self, words: str, since: int = 0, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text(since):
            if time.monotonic() > deadline:
                raise AssertionError(f"{words!r} not shown; the terminal was sent: {self.text(since)[-1500:]!r}")
            time.sleep(0.05)

    def press(self, *keys: str) -> None:
        """Type into the page's terminal (it has the focus), one key at a time."""
        from selenium.webdriver.common.action_chains import ActionChains

        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()

    def quit(self) -> None:
        """Close the browser (its tab closes with it); again is nothing."""
        if self.driver is not None:
            self.driver.quit()
            self.driver = None
