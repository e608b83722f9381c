"""`annotator serve` in real headless Chromium: two annotators in two browsers, a reviewer in
a third, all with the keyboard, and the store holds exactly what they did; a browser with no
token sees nothing of the data. The page as ana sees it is saved to docs/serve.png."""

from __future__ import annotations

import re
import time

import pytest
from rich.color import Color

from annotator.core.spans import Span
from annotator.store import Store
from tests.helpers.browser import Browser, missing
from tests.helpers.news import SUGGESTED, phrase_spans
from tests.helpers.paths import ROOT
from tests.helpers.served import TEXTS, Served, tab_pids

pytestmark = [
    pytest.mark.slow,  # a server, three browsers, their tab processes
    pytest.mark.skipif(missing() is not None, reason=f"no browser to drive: {missing()}"),
]
TAB = "\ue004"  # Selenium's Keys.TAB
SCREENSHOT = ROOT / "docs" / "serve.png"
# Two earlier annotators disagree on the last document: the reviewer's work.
CY = tuple(phrase_spans(TEXTS[3], {"Iraq": "PERSON"}))
DEE = tuple(phrase_spans(TEXTS[3], {"Iraq": "GPE", "Syria": "GPE"}))
EARLIER = (("cy", CY), ("dee", DEE))


@pytest.fixture
def served(tmp_path):
    served = Served(tmp_path)
    with Store(served.db) as store:
        served.earlier = [store.add_answer(served.ids[3], who, "accept", spans, 1.0) for who, spans in EARLIER]
    served.start("--overlap=1")
    browsers: list[Browser] = []

    def browser(name: str) -> Browser:  # each person's own, with a fresh profile
        browsers.append(Browser(tmp_path / f"profile-{name}", served.url))
        return browsers[-1]

    served.browser = browser
    try:
        yield served
    finally:
        for browser in browsers:
            browser.quit()
        served.stop()


def painted_on_its_colour(received: str, text: str, span: Span, config_color: str) -> bool:
    """Whether the terminal was sent the span's words on its label's colour (truecolor SGR)."""
    red, green, blue = Color.parse(config_color).get_truecolor()
    words = re.escape(text[span.start : span.end].split()[0])
    return re.search(rf"48;2;{red};{green};{blue}m{words}", received) is not None


def test_two_annotators_and_a_reviewer_in_three_browsers(served):
    from annotator.io.labels import load_labels

    config = load_labels(served.labels)
    first_text = served.texts[0]
    suggested = phrase_spans(first_text, SUGGESTED)

    # Without a token: the sign-in page, nothing of the data, no websocket opened.
    nobody = served.browser("nobody")
    for path in ("/", "/review", "/?annotator=ana"):
        nobody.open(path)
        page = nobody.page_text()
        assert "Sign in" in page and "Iraq" not in page and "news" not in page
        assert "Iraq" not in nobody.driver.page_source
    time.sleep(1)
    assert nobody.received() == "" and tab_pids(served) == set()

    # ana signs in with her link and sees the first document, its suggested spans highlighted.
    ana = served.browser("ana")
    ana.open(f"/signin?token={served.tokens['ana']}")
    ana.wait_for("Iraq GPE sent back nearly")
    ana.wait_for("on 'Iraq' (GPE)")
    assert "news · ana" in ana.text()
    labels = {name: config.color(name) for name in config.names}
    for span in suggested:
        assert painted_on_its_colour(ana.received(), first_text, span, labels[span.label]), span
    time.sleep(0.5)  # the page fades the terminal in
    SCREENSHOT.parent.mkdir(exist_ok=True)
    ana.driver.save_screenshot(str(SCREENSHOT))

    # She corrects it (the next span removed) and accepts it: exactly that answer is stored.
    mark = ana.mark()
    ana.press(TAB)  # the first span first, then the next: typed at once, no click needed
    ana.wait_for("on 'Iraq' (GPE): a label key relabels", since=mark)
    ana.press(TAB)
    ana.wait_for("on 'Syrian' (NORP)", since=mark)
    ana.press("d", "a")
    ana.wait_for("Officials in Baghdad", since=mark)
    (answer,) = served.answers("ana")
    removed = next(span for span in suggested if first_text[span.start : span.end] == "Syrian")
    assert (answer.document, answer.answer) == (served.ids[0], "accept")
    assert answer.spans == tuple(span for span in suggested if span != removed)

    # ben signs in with the form and gets a document nobody else has (--overlap 1): not the
    # one ana answered, nor the one on her screen now.
    ben = served.browser("ben")
    ben.open("/")
    ben.driver.find_element("name", "token").send_keys(served.tokens["ben"])
    ben.driver.find_element("css selector", "form button, form [type=submit]").click()
    ben.wait_for("Mohammad al-Bashir")
    assert "news · ben" in ben.text()
    mark = ben.mark()
    ben.press("a")
    ben.wait_for("left", since=mark)
    served.wait_until(lambda: served.answers("ben"), what="ben's answer")
    assert [(a.document, a.answer) for a in served.answers("ben")] == [(served.ids[2], "accept")]
    # The review screen is not ana's, whatever she types in the address bar.
    ana.open("/review")
    assert "The review screen is for reviewers." in ana.page_text()

    # rev reviews the disputed document: takes dee's version (2) and accepts it.
    rev = served.browser("rev")
    rev.open(f"/signin?token={served.tokens['rev']}")
    rev.open("/review")
    rev.wait_for("cy")
    rev.wait_for("dee")
    mark = rev.mark()
    rev.press("@")
    rev.wait_for("took version 2 (dee)", since=mark)
    rev.press("a")
    with Store(served.db, create=False) as store:
        reviews = served.wait_until(lambda: store.latest_reviews(served.dataset), what="rev's review")
    (review,) = reviews.values()
    assert (review.document, review.reviewer, review.answer) == (served.ids[3], "rev", "accept")
    assert review.spans == DEE and sorted(review.decided_from) == sorted(served.earlier)

    # Closing the browsers ends their tabs and gives their documents back; the answers stay.
    for browser in (ana, ben, rev):
        browser.quit()
    served.wait_until(lambda: served.leases() == [], timeout=20, what="the leases going back")
    every = sorted((a.document, a.annotator, a.answer) for a in served.answers())
    assert every == sorted(
        [
            (served.ids[0], "ana", "accept"),
            (served.ids[2], "ben", "accept"),
            (served.ids[3], "cy", "accept"),
            (served.ids[3], "dee", "accept"),
        ]
    )
