"""Sections of the entry page contributed by other apps (approval rounds, decrees).

dokumen knows none of them: persetujuan and publikasi register a panel in their AppConfig.ready,
and the entry page renders each in order. A panel is `fn(request, entri) -> str | None` (HTML).
"""

from collections.abc import Callable

_panels: list[tuple[int, Callable]] = []


def register(order: int, panel: Callable) -> None:
    if all(existing is not panel for _, existing in _panels):
        _panels.append((order, panel))
        _panels.sort(key=lambda item: item[0])


def render(request, entri) -> list[str]:
    return [html for _, panel in _panels if (html := panel(request, entri))]
