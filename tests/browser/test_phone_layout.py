"""On a phone (390 px) with the demo's data: the public sub-navigation takes two lines and the
dashboard's seven counters per step leave its table on the first screens. The page check that
says so (page_checks.STRUCTURE) is shown to catch the layout it replaced."""

import io

import pytest
from django.core.management import call_command

from ppid import demo as ppid_demo
from tests.browser import page_checks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# the layout before: links spaced 1 rem apart at full size, one big card per step
OLD_LAYOUT = """
.subnav ul { gap: .25rem 1rem !important; } .subnav a { font-size: 1rem !important; }
.stage-counts { grid-template-columns: 1fr !important; gap: 1rem !important; }
.stage-counts a.card-link { display: block !important; padding: 1rem !important; }
.stage-counts a.card-link .stat { display: block !important; font-size: 1.8rem !important; }
"""


def layout_problems(page) -> list[str]:
    return [
        p for p in page.evaluate(page_checks.STRUCTURE) if "sub-navigation" in p or "dashboard" in p
    ]


def test_subnav_and_dashboard_fit_a_phone(browser, live_server, artifacts_dir):
    call_command("demo", stdout=io.StringIO())
    password = {u: pw for u, _n, _r, pw in ppid_demo.DEMO_USERS}["ppid"]
    # CSP bypassed only to inject the old layout below; the pages themselves are unchanged
    context = browser.new_context(viewport=page_checks.PHONE, has_touch=True, bypass_csp=True)
    page = context.new_page()
    folder = artifacts_dir / "phone"
    folder.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/")
    assert layout_problems(page) == []
    lines = page.evaluate(
        "() => new Set([...document.querySelectorAll('.subnav a')]"
        ".map(a => Math.round(a.getBoundingClientRect().top))).size"
    )
    assert lines == 2
    page.screenshot(path=folder / "dik-publik-390.png")

    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("ppid")
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").tap()
    page.wait_for_url(f"{live_server.url}/meja/")
    assert layout_problems(page) == []
    top = page.evaluate("() => document.querySelector('main table').getBoundingClientRect().top")
    assert top < page_checks.PHONE["height"]  # the table starts on the first screen
    page.screenshot(path=folder / "meja-390.png")

    page.add_style_tag(content=OLD_LAYOUT)
    found = layout_problems(page)
    assert len(found) == 1 and found[0].startswith("dashboard table starts at"), found
    page.goto(f"{live_server.url}/")
    page.add_style_tag(content=OLD_LAYOUT)
    assert layout_problems(page) == ["public sub-navigation in 3 lines"]
    context.close()
