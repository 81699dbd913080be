"""Reviewing in a real browser: a reviewer signs in, rejects a fact on an entity page, corrects another, adds
one by selecting a document's text; after two rebuilds the rejection holds, the correction and the addition
are there with their reviewer and evidence, and an anonymous visitor sees them but no controls."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pageguard import only_local_requests
from r2pkg.graph import review
from r2pkg.graph.build import build
from servers import app_in_thread

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "review"
MEETING = "/page/meeting/atrocity-lakeside-prevention-dialogues-2"
DOCUMENT = "/document/lakeside-dialogue-2031"
ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
PASSWORD = "browser test passphrase"
HOSTS = "The Government of Chile hosted the second Lakeside Dialogue"


@pytest.fixture(scope="module")
def review_site(tmp_path_factory):
    """A data directory built from the review fixture, a reviewer, and the app served on it; yields both."""
    from r2pkg.webapp import create_app

    root = tmp_path_factory.mktemp("review-browser")
    shutil.copytree(FIXTURE, root / "corpus")
    build([root / "corpus"], root / "data")
    review.add_user(root / "data", "ana", PASSWORD)
    app = create_app({"DATA_DIR": str(root / "data"), "CACHE_MAX_AGE": 0})
    with app_in_thread(app, threads=4) as base:
        yield base, root


def new_page(browser, base: str):
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, pg, errors, only_local_requests(pg, base)


def statement(page, group: str, value: str):
    """The statement cell of `value` in the entity page's group `group` (a property's label)."""
    row_group = page.locator("table.statements tr.property", has=page.locator("th", has_text=group))
    expect(row_group.first).to_be_visible()
    return page.locator("td.statement", has=page.locator("span.value a", has_text=re.compile(f"^{value}$"))).first


def select_text(page, words: str) -> None:
    """Select `words` in the document's text as a person does with the mouse, then release the button."""
    page.evaluate("""(words) => {
        const root = document.getElementById("doc-text");
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const nodes = []; let all = "";
        for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.nodeValue; }
        const from = all.indexOf(words), to = from + words.length;
        const at = (pos) => { for (const [n, s] of nodes) { if (pos <= s + n.nodeValue.length) return [n, pos - s]; } };
        const range = document.createRange();
        range.setStart(...at(from)); range.setEnd(...at(to));
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }""", words)


def test_review_in_the_browser_survives_two_rebuilds(browser, review_site, artifacts):
    base, root = review_site
    context, page, errors, outside = new_page(browser, base)

    # sign in from the footer link
    page.goto(MEETING)
    expect(page.locator(".review-controls")).to_have_count(0)
    page.locator("a.reviewer-sign-in").click()
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(MEETING) + "$"))
    expect(page.locator(".reviewer-name")).to_have_text("ana")

    # reject Kenya as a participant, with a reason
    kenya = statement(page, "has participant", "Kenya")
    kenya.locator("details.review-controls summary").click()
    kenya.locator(".review-reason").fill("Kenya is not named in the list")
    kenya.locator(".review-reject").click()
    page.wait_for_url(re.compile(re.escape(MEETING) + "$"))
    expect(statement(page, "has participant", "Kenya").locator(".review-rejected")).to_contain_text("rejected by ana")

    # correct Ecuador to Chile, chosen with the suggestions
    ecuador = statement(page, "has participant", "Ecuador")
    ecuador.locator("details.review-controls summary").click()
    ecuador.locator(".review-new-object").type("Chil", delay=40)
    ecuador.locator(".suggestions-list li", has_text="Chile").first.click()
    expect(ecuador.locator(".review-new-object")).to_have_value(f"{ID}state/chile")
    ecuador.locator(".review-correct").click()
    page.wait_for_url(re.compile(re.escape(MEETING) + "$"))
    expect(page.locator(".flash")).to_contain_text("Saved: correct")

    # add the host by selecting the sentence that says so
    page.goto(DOCUMENT)
    select_text(page, HOSTS)
    expect(page.locator("#review-add-exact")).to_have_value(HOSTS)
    page.fill("#review-add-subject", f"{ID}meeting/atrocity-lakeside-prevention-dialogues-2")
    page.fill("#review-add-property", f"{R2P}hostedBy")
    page.locator("#review-add-object").type("Chil", delay=40)
    page.locator("#review-add .suggestions-list li", has_text="Chile").first.click()
    page.screenshot(path=str(artifacts / "review-add.png"), full_page=True)
    page.locator("#review-add-submit").click()
    page.wait_for_url(re.compile(re.escape(DOCUMENT) + "$"))
    expect(page.locator(".flash")).to_contain_text("Added")

    decisions = review.read_decisions(review.decisions_path(root / "data"))[0]
    assert [d.decision for d in decisions] == ["reject", "correct", "add"]
    added = decisions[2]
    assert added.evidence.exact == HOSTS and added.evidence.start == root.joinpath(
        "corpus", "lakeside-dialogue-2031.txt").read_text(encoding="utf-8").index(HOSTS)

    for _ in range(2):
        report = build([root / "corpus"], root / "data")
        assert report.review["orphaned"] == [] and report.shacl["conforms"]

    # an anonymous visitor: the rejected fact is gone, the correction and addition are there with reviewer and
    # evidence, and there are no controls
    anon_context, anon, anon_errors, anon_outside = new_page(browser, base)
    anon.goto(MEETING)
    statements = anon.locator("#statements")
    expect(statements.locator("span.value a", has_text=re.compile("^Kenya$"))).to_have_count(0)
    expect(statements.locator("span.value a", has_text=re.compile("^Ecuador$"))).to_have_count(0)
    hosted = anon.locator("table.statements tr", has=anon.locator("th", has_text="hosted by"))
    expect(hosted.first).to_be_visible()
    chile = statement(anon, "hosted by", "Chile")
    expect(chile.locator(".review-added")).to_contain_text("added by ana")
    expect(chile.locator("blockquote.evidence").first).to_contain_text(HOSTS)
    expect(statements.locator(".review-correction").first).to_contain_text("correction by ana")
    expect(anon.locator(".review-controls")).to_have_count(0)
    expect(anon.locator("form[action*='/review/']")).to_have_count(0)
    anon.screenshot(path=str(artifacts / "review-entity-anonymous.png"), full_page=True)
    anon.goto(DOCUMENT)
    expect(anon.locator(".doc-curated")).to_contain_text("added by ana")
    expect(anon.locator("#review-add")).to_have_count(0)
    anon.goto("/review/decisions")
    expect(anon.locator("tr.decision")).to_have_count(3)
    anon_context.close()
    context.close()
    assert not errors and not anon_errors, f"JavaScript errors: {errors + anon_errors}"
    assert not outside and not anon_outside


# --------------------------------------------------------------------------------------------
# The review pages pass axe-core (WCAG 2.1 A and AA: no serious or critical violation), as the others do
# --------------------------------------------------------------------------------------------

def _controls_open(page) -> None:
    page.locator("details.review-controls summary").first.click()
    page.locator("details.review-controls .review-form").first.wait_for()


def _text_selected_and_form_filled(page) -> None:
    select_text(page, HOSTS)
    expect(page.locator("#review-add-exact")).to_have_value(HOSTS)
    page.locator("#review-add-object").type("Chil", delay=40)
    page.locator("#review-add .suggestions-list li").first.wait_for()


REVIEW_PAGES = {
    "sign-in": ("/review/login", None, False),
    "decisions history": ("/review/decisions", None, True),
    "queue, a fact's controls open": ("/review/queue", _controls_open, True),
    "entity page, a fact's controls open": (MEETING, _controls_open, True),
    "document page, a fact's controls open": (DOCUMENT, _controls_open, True),
    "document page, adding a fact from selected text": (DOCUMENT, _text_selected_and_form_filled, True),
    "a fact's review page": (f"/review/fact?subject={ID}meeting/atrocity-lakeside-prevention-dialogues-2"
                             f"&property={R2P.replace('#', '%23')}hasParticipant&object={ID}state/peru", None, True),
}


@pytest.fixture(scope="module")
def signed_in_state(browser, review_site) -> dict:
    """The cookies of a signed-in reviewer (signing in once: sign-in attempts are rate-limited)."""
    base, _ = review_site
    context, page, _, _ = new_page(browser, base)
    page.goto("/review/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".reviewer-name")).to_have_text("ana")
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("name", REVIEW_PAGES)
def test_the_review_pages_pass_axe(browser, review_site, signed_in_state, name):
    from test_crawl import axe_violations

    base, _ = review_site
    path, prepare, signed = REVIEW_PAGES[name]
    # axe is injected as an inline script, which the app's Content-Security-Policy rightly forbids
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  storage_state=signed_in_state if signed else None)
    page = context.new_page()
    page.set_default_timeout(10000)
    outside = only_local_requests(page, base)
    found = axe_violations(page, base + path, prepare)
    context.close()
    assert found == [], found
    assert not outside
