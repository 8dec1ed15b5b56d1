"""Readable accent colours: a list's accent is the editor's choice, but text drawn in it must stay legible on the
email's light and dark backgrounds (WCAG 2 contrast, 4.5:1 for body-size text)."""

from __future__ import annotations

READABLE_CONTRAST = 4.5
# The backgrounds of the digest's text (templates/emails/digest.html gets them from here): light and dark mode.
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#2c2c2e"
# Below this luminance white text contrasts more than black: (1 + 0.05) / (L + 0.05) = (L + 0.05) / 0.05.
_DARK_LUMINANCE = 0.179


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a `#rrggbb` colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(colour: str, towards: str, share: float) -> str:
    mixed = (round(a + (b - a) * share) for a, b in zip(_channels(colour), _channels(towards), strict=True))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def readable_on(colour: str, background: str) -> str:
    """`colour` itself when text in it is readable on `background`, else the nearest mix of it with white (on a
    dark background) or black (on a light one) that is: the hue stays the list's."""
    if contrast_ratio(colour, background) >= READABLE_CONTRAST:
        return colour.lower()
    towards = "#ffffff" if relative_luminance(background) < _DARK_LUMINANCE else "#000000"
    for step in range(1, 21):
        candidate = _mix(colour, towards, step / 20)
        if contrast_ratio(candidate, background) >= READABLE_CONTRAST:
            return candidate
    return towards
