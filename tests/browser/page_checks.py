"""What every page of the site must be, checked in the browser: Indonesian, usable on a phone
(no sideways scroll, touch-sized controls, the public sub-navigation in two lines, the
dashboard's table near the top), accessible, quiet in the console and talking to no other host.
Its HTML is checked for conformance by tests/html_conformance.py.

`PageWatch` records console errors and foreign requests of a browser context; `problems(page)`
lists what is wrong with the page shown now (an empty list is a good page).
"""

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import django
import polib
from django.conf import settings

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# our catalogue, and Django's own Indonesian catalogues of the parts a user sees
DJANGO_CATALOGUES = [
    Path(django.__file__).parent / "conf" / "locale" / "id" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent
    / "contrib"
    / "auth"
    / "locale"
    / "id"
    / "LC_MESSAGES"
    / "django.po",
]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]|\{\{ ?\w+ ?\}\}")


def _pattern(msgid: str) -> re.Pattern:
    literal = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
    return re.compile(".+".join(literal))


@functools.cache
def english_strings() -> tuple[list[str], list[re.Pattern]]:
    """English msgids whose Indonesian translation differs: such a string on a page was not
    translated. Returned as plain strings and, for those with placeholders, as patterns."""
    plain, patterns = set(), []
    for path in [Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"] + [
        p for p in DJANGO_CATALOGUES
    ]:
        for entry in polib.pofile(str(path)):
            forms = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
            translations = (
                set(entry.msgstr_plural.values()) if entry.msgid_plural else {entry.msgstr}
            )
            for msgid in forms:
                msgid = msgid.strip()
                if not msgid or msgid in translations or not re.search(r"[A-Za-z]{2}", msgid):
                    continue
                if PLACEHOLDER.search(msgid):
                    if len(PLACEHOLDER.sub("", msgid).split()) >= 2:
                        patterns.append(_pattern(msgid))
                else:
                    plain.add(msgid)
    return sorted(plain), patterns


def untranslated(text: str) -> list[str]:
    """Lines of visible text that are an English string of a catalogue (whole line), or that
    contain one of three words or more."""
    plain, patterns = english_strings()
    whole = set(plain)
    long_ones = [s for s in plain if len(s.split()) >= 3]
    found = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        if line in whole or any(p.fullmatch(line) for p in patterns):
            found.append(line)
        elif hit := next((s for s in long_ones if s in line), None):
            found.append(f"{hit!r} in {line!r}")
    return found


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core (vendored, see vendor/axe-core/VERSION) on the page; serious and critical
    violations as 'rule: target' lines. Evaluated as source text, which the CSP allows."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'][:5])}"
        for v in result
        if v["impact"] in impacts
    ]


STRUCTURE = """() => {
  const problems = [];
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} h1 elements instead of one`);
  if (document.documentElement.lang !== 'id') problems.push(`lang="${document.documentElement.lang}"`);
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth)
    problems.push(`wider than the screen: ${root.scrollWidth} px at ${window.innerWidth} px`);
  const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`id used twice: ${id}`);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const named = el.labels.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!named) problems.push(`field without a label: ${el.name || el.id}`);
  }
  // touch: controls at least 44 px high (WCAG 2.5.5), a checkbox or radio through its label
  if (window.innerWidth <= 480) {
    const controls = 'button, select, textarea, a.button, summary, ' +
      'input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
    for (const el of document.querySelectorAll(controls)) {
      const box = el.getBoundingClientRect();
      if (box.width && box.height < 44) problems.push(`touch target ${Math.round(box.height)} px high: ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
      const target = el.labels[0] || el;
      const box = target.getBoundingClientRect();
      if (box.width && box.height < 24) problems.push(`touch target ${Math.round(box.height)} px high: ${target.outerHTML.slice(0, 80)}`);
    }
    // the public sub-navigation takes two lines at most
    const tops = [...document.querySelectorAll('.subnav a')].map(a => Math.round(a.getBoundingClientRect().top / 8));
    if (new Set(tops).size > 2) problems.push(`public sub-navigation in ${new Set(tops).size} lines`);
    // the dashboard's counters per step leave its table within the first one and a half screens
    const table = document.querySelector('.stage-counts') && document.querySelector('main table');
    if (table) {
      const top = Math.round(table.getBoundingClientRect().top + window.scrollY);
      if (top > 1.5 * window.innerHeight) problems.push(`dashboard table starts at ${top} px, below 1.5 screens (${window.innerHeight} px)`);
    }
  }
  return problems;
}"""

FOCUS = """() => {
  // every link, button and field shows an outline or a ring when focused from the keyboard
  const problems = [];
  const items = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(el => el.offsetParent !== null && !el.disabled).slice(0, 60);
  for (const el of items) {
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    if (!ring) problems.push(`no visible focus: ${el.outerHTML.slice(0, 80)}`);
  }
  document.activeElement && document.activeElement.blur();
  return problems;
}"""


def problems(page, *, axe: bool = True) -> list[str]:
    """Everything wrong with the page shown now; checked at the page's current width."""
    found = page.evaluate(STRUCTURE)
    # keyboard focus: Playwright's focus() counts as keyboard focus once a key was pressed
    page.keyboard.press("Shift")
    found += page.evaluate(FOCUS)
    # the visible text, and the choices of every select (closed selects hide them)
    text = page.inner_text("body") + "\n" + "\n".join(page.locator("option").all_inner_texts())
    found += [f"untranslated: {s}" for s in untranslated(text)]
    if axe:
        found += axe_violations(page)
    return found


class PageWatch:
    """Console errors, uncaught exceptions and requests to another host, for a whole context."""

    def __init__(self, context, base_url: str):
        self.origin = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        context.on("request", self._request)
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)

    def _page(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))

    def _request(self, request):
        parts = urlsplit(request.url)
        # data:, blob:, and the browser's own chrome:// pages (its PDF viewer) leave the machine never
        if parts.scheme not in ("http", "https", "ws", "wss"):
            return
        if parts.netloc != self.origin:
            self.foreign_requests.append(request.url)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def expected_error(self, url: str) -> None:
        """The browser logs a failed load of `url` that the test itself asked for (a 404)."""
        self.console_errors = [e for e in self.console_errors if f"({url})" not in e]
