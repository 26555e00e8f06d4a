"""HTML5 conformance of our pages, checked offline by the Nu Html Checker (the W3C validator).

The checker is the npm package vnu-jar, fetched by `make test` (target `checker-deps`) into
tests/browser/vendor/vnu-jar/ (not in git: ~30 MB) and run with Java 17+. One JVM start costs
seconds, so pages are collected and checked in one batch: `errors({name: html, ...})`.
"""

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tests.services import unavailable

VNU_JAR = Path(__file__).resolve().parent / "browser" / "vendor" / "vnu-jar" / "vnu.jar"


def require_checker() -> None:
    """Skip (locally) or fail (CI=true) when the checker is not installed."""
    if not VNU_JAR.is_file():
        unavailable(f"the Nu Html Checker is missing ({VNU_JAR}): run `make checker-deps`")
    if not shutil.which("java"):
        unavailable("the Nu Html Checker needs Java 17+: apt-get install default-jre-headless")


def errors(pages: Mapping[str, str]) -> list[str]:
    """Every conformance error of the pages, as 'name, line N: message — extract' lines.

    `pages` maps a name (a URL, a step of the journey) to the page's HTML as served."""
    require_checker()
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items(), start=1):
            path = Path(folder, f"{number:04d}.html")
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [
                "java",
                "-Xss4m",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--errors-only",
                "--no-langdetect",
                "--exit-zero-always",
                "--stdout",
                *(str(Path(folder, file)) for file in names),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"the Nu Html Checker failed: {result.stderr or result.stdout}")
    found = []
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "")
        name = names.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        extract = " ".join(message.get("extract", "").split())
        found.append(f"{name}, {where}: {message['message']} — {extract}")
    return found
