"""The HTML review report: escaping, structure, and a real headless Chromium checking it by DOM."""
import os
import shutil

import pytest

import syextract
from syextract import report
from syextract.io import read

ROOT = os.path.dirname(os.path.dirname(__file__))
SEED = os.path.join(ROOT, "corpus", "docs", "000_c9f2e8833ee8cb3f.txt")
DOCX = os.path.join(ROOT, "corpus", "docs", "bayi_scheme_2023.docx")
HOSTILE = "2024年社区双拥工作计划\n一、<script>alert('x')</script>春节前夕走访慰问烈属25户。\n<img src=x onerror=alert(1)>\n"
ARTIFACTS = os.path.join(ROOT, "tests", "artifacts")
CHROMIUM = os.environ.get("SYEXTRACT_CHROMIUM", "/usr/bin/chromium")


def _items():
    out = [(syextract.extract(p), read(p).text) for p in (SEED, DOCX)]
    hostile = syextract.extract(HOSTILE)
    out.append((hostile, hostile.source.text))
    return out


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    items = _items()
    report.write(str(path), items, findings={items[0][0].id: [
        {"rule": "SY006", "severity": "warning", "message": "<b>gap</b>", "spans": [{"text": "五、"}]}]})
    return str(path), items


def test_document_text_is_escaped(page_file):
    path, _ = page_file
    page = open(path, encoding="utf-8").read()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;b&gt;gap&lt;/b&gt;" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page  # self-contained


def test_highlight_nests_and_splits_crossing_mentions():
    from syextract.records import Placeholder, TimeExpr

    text = "甲乙丙丁戊"
    a = TimeExpr(id="t1", text="甲乙丙", start=0, end=3)
    b = Placeholder(id="g1", text="丙丁", start=2, end=4, kind="blank")
    html = report.highlight(text, [(0, 3, "times", a), (2, 4, "placeholders", b)], {}, "d0")
    assert html.count('data-id="d0:g1"') == 2  # split at the time's end
    assert html.count("<mark") == html.count("</mark>") == 3
    stripped = __import__("re").sub(r"<[^>]+>", "", html)
    assert stripped == text


def _browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
    return sync_playwright


def test_report_in_headless_chromium(page_file):
    sync_playwright = _browser()
    path, items = page_file
    dialogs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto("file://" + path)
        for n, (doc, text) in enumerate(items):
            for cat in ("times", "quantities", "placeholders", "people", "organizations", "activities"):
                mentions = [m for plan in doc.plans for m in getattr(plan, cat)]
                got = page.evaluate(
                    """([sel]) => { const by = {}; document.querySelectorAll(sel).forEach(e => {
                         const id = e.getAttribute('data-id'); by[id] = (by[id] || '') + e.textContent; });
                         return by; }""", [f"#d{n} mark.{cat}"])
                assert len(got) == len(mentions), (doc.id, cat)
                for m in mentions:
                    assert got[f"d{n}:{m.id}"] == m.text
            rows = page.locator(f"#d{n} table.activities tbody tr")
            assert rows.count() == sum(len(p.activities) for p in doc.plans)
        # the hostile document's markup is shown as text, and nothing ran
        assert "<script>alert('x')</script>" in page.locator("#d2 pre.text").inner_text()
        assert dialogs == []
        # selecting an activity marks it and its linked mentions
        seed = items[0][0]
        linked = [a for plan in seed.plans for a in plan.activities if any(r.id for r in a.times + a.responsible)]
        if linked:
            a = linked[0]
            page.locator(f'#d0 table.activities tr[data-id="d0:{a.id}"]').click()
            assert page.locator(f'#d0 mark.selected[data-id="d0:{a.id}"]').count() >= 1
            assert page.locator("#d0 mark.linked").count() >= 1
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = os.path.join(ARTIFACTS, "report.png")
        page.screenshot(path=shot, full_page=False)
        browser.close()
    assert os.path.getsize(shot) > 10_000


def test_report_command(tmp_path):
    from syextract.report.command import cmd_report

    class A:
        inputs = [SEED]
        output = str(tmp_path / "r.html")
        no_check = True

    assert cmd_report(A) == 0
    assert "乡镇双拥工作计划篇一" in open(A.output, encoding="utf-8").read()
