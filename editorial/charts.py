"""Small charts drawn on the server as inline SVG: nothing to download, nothing run in the browser.

Each function returns safe markup sized by its viewBox (it scales to the column it sits in), with a
<title> on every mark so hovering shows the exact figure, and role="img" with a label for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

JOIN_COLOUR = "#2e7d32"
LEAVE_COLOUR = "#c62828"
# Outcome colours chosen to stay apart for the common colour-vision deficiencies.
OUTCOME_COLOURS = {
    "delivered": "#2e7d32",
    "accepted": "#81c784",
    "bounced": "#e65100",
    "failed": "#c62828",
    "uncertain": "#6a1b9a",
    "skipped": "#9e9e9e",
    "pending": "#cfd8dc",
}
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(width: int, height: int, label: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every value placed in `body` was escaped or is a number
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">{body}</svg>'
    )


def weekly_joins_leaves(*, title: str, weeks: Sequence[date], joins: Sequence[int], leaves: Sequence[int]) -> SafeString:
    """Bars above the line for people who joined in a week, below it for people who left."""
    width, height, left, top, bottom = 420, 150, 34, 14, 22
    plot_h = height - top - bottom
    top_in, top_out = max(joins, default=0), max(leaves, default=0)
    span = top_in + top_out
    # The zero line sits where joins and leaves share the height in proportion to their peaks.
    zero_y = top + (plot_h * top_in / span if span else plot_h / 2)
    scale = plot_h / span if span else 0.0
    slot = (width - left - 4) / max(len(weeks), 1)
    bar_w = max(slot * 0.36, 2)
    parts = [f'<line x1="{left}" y1="{zero_y:.1f}" x2="{width - 2}" y2="{zero_y:.1f}" stroke="#90a4ae"/>']
    for i, (week, n_in, n_out) in enumerate(zip(weeks, joins, leaves, strict=True)):
        x = left + i * slot + slot * 0.12
        week_text = date_format(week, "j M")
        if n_in:
            h = n_in * scale
            tip = escape(_("%(week)s: %(n)d joined") % {"week": week_text, "n": n_in})
            parts.append(f'<rect class="join" x="{x:.1f}" y="{zero_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{JOIN_COLOUR}"><title>{tip}</title></rect>')
        if n_out:
            h = n_out * scale
            tip = escape(_("%(week)s: %(n)d left") % {"week": week_text, "n": n_out})
            parts.append(f'<rect class="leave" x="{x + bar_w:.1f}" y="{zero_y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{LEAVE_COLOUR}"><title>{tip}</title></rect>')
    for i, anchor in ((0, "start"), (len(weeks) // 2, "middle"), (len(weeks) - 1, "end")) if weeks else ():
        x = left + i * slot + (slot * 0.12 if anchor == "start" else slot * 0.5 if anchor == "middle" else slot * 0.88)
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}" {_FONT} fill="#546e7a">'
                     f'{escape(date_format(weeks[i], "j M"))}</text>')
    parts.append(f'<text x="2" y="{top + 9}" {_FONT} fill="{JOIN_COLOUR}">+{top_in}</text>')
    parts.append(f'<text x="2" y="{height - bottom}" {_FONT} fill="{LEAVE_COLOUR}">−{top_out}</text>')
    label = _("%(title)s: %(joined)d joined and %(left)d left in %(weeks)d weeks") % {
        "title": title, "joined": sum(joins), "left": sum(leaves), "weeks": len(weeks)}
    return _svg(width, height, label, "".join(parts))


def outcome_bars(*, rows: Sequence[tuple[str, dict[str, int]]], labels: dict[str, str]) -> SafeString:
    """One horizontal stacked bar per digest: each segment a share of the digest's recipients."""
    label_w, bar_w, row_h, legend_h = 220, 640, 26, 24
    width = label_w + bar_w + 10
    height = legend_h + row_h * max(len(rows), 1)
    parts = []
    x = label_w
    for key, colour in OUTCOME_COLOURS.items():
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 13}" y="13" {_FONT} fill="#37474f">{escape(labels.get(key, key))}</text>')
        x += 13 + 7 * len(labels.get(key, key)) + 10
    for i, (name, counts) in enumerate(rows):
        y = legend_h + i * row_h
        total = sum(counts.values())
        short = name if len(name) <= 34 else name[:33] + "…"
        parts.append(f'<text x="0" y="{y + 15}" {_FONT} fill="#263238"><title>{escape(name)}</title>{escape(short)}</text>')
        offset = 0.0
        for key, colour in OUTCOME_COLOURS.items():
            n = counts.get(key, 0)
            if not n or not total:
                continue
            w = bar_w * n / total
            parts.append(f'<rect class="outcome-{key}" x="{label_w + offset:.1f}" y="{y + 3}" width="{w:.1f}" height="16" '
                         f'fill="{colour}"><title>{escape(labels.get(key, key))}: {n} ({100 * n / total:.1f} %)</title></rect>')
            offset += w
    return _svg(width, height, _("Delivery outcomes per digest"), "".join(parts))


def segment_bars(*, rows: Sequence[tuple[str, int | None, int]]) -> SafeString:
    """Each segment's audience as a share of its list's audience: (name, segment count, list count)."""
    label_w, bar_w, row_h = 200, 260, 24
    width = label_w + bar_w + 90
    height = row_h * max(len(rows), 1) + 4
    parts = []
    for i, (name, count, total) in enumerate(rows):
        y = i * row_h
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="0" y="{y + 15}" {_FONT} fill="#263238"><title>{escape(name)}</title>{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" fill="#eceff1"/>')
        if count is None:
            problem = escape(_("filters need fixing"))
            parts.append(f'<text x="{label_w + 4}" y="{y + 15}" {_FONT} fill="#c62828">{problem}</text>')
            continue
        w = bar_w * count / total if total else 0
        tip = escape(_("%(n)d of %(total)d") % {"n": count, "total": total})
        parts.append(f'<rect class="segment" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="14" fill="#1565c0">'
                     f'<title>{tip}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" {_FONT} fill="#263238">{count} / {total}</text>')
    return _svg(width, height, _("Audience of each segment beside its list"), "".join(parts))


OPEN_COLOUR = "#1565c0"
CLICK_COLOUR = "#e65100"


def activity_label(start, hourly: bool) -> str:
    """A bucket of opens and clicks as an editor reads it: "7 Dec 14:00" for an hour, "9 Dec" for a day."""
    return date_format(start, "j M H:i") if hourly else date_format(start, "j M")


def activity_columns(*, buckets: Sequence, title: str) -> SafeString:
    """Opens and clicks over time (worker.results.ActivityBucket): a pair of columns per hour, then per day; a
    dashed line marks where hours give way to days."""
    left, top, bottom, slot = 34, 22, 22, 14
    # At least two days of hours wide, so that a young send's first bars stay bars, not a wall.
    width = left + slot * max(len(buckets), 48) + 8
    height = 170
    plot_h = height - top - bottom
    peak = max((max(b.opens, b.clicks) for b in buckets), default=0)
    scale = plot_h / peak if peak else 0.0
    base_y = top + plot_h
    opens_word, clicks_word = _("opens"), _("clicks")
    parts = [f'<line x1="{left}" y1="{base_y}" x2="{width - 4}" y2="{base_y}" stroke="#90a4ae"/>',
             f'<rect x="{left}" y="4" width="10" height="10" fill="{OPEN_COLOUR}"/>'
             f'<text x="{left + 13}" y="13" {_FONT} fill="#37474f">{escape(opens_word)}</text>',
             f'<rect x="{left + 90}" y="4" width="10" height="10" fill="{CLICK_COLOUR}"/>'
             f'<text x="{left + 103}" y="13" {_FONT} fill="#37474f">{escape(clicks_word)}</text>',
             f'<text x="2" y="{top + 9}" {_FONT} fill="#546e7a">{peak}</text>']
    bar_w = slot * 0.4
    for i, bucket in enumerate(buckets):
        x = left + i * slot + slot * 0.1
        when = activity_label(bucket.start, bucket.hourly)
        if i and not bucket.hourly and buckets[i - 1].hourly:
            parts.append(f'<line x1="{x - slot * 0.1:.1f}" y1="{top}" x2="{x - slot * 0.1:.1f}" y2="{base_y}" '
                         f'stroke="#b0bec5" stroke-dasharray="3 3"/>')
        for offset, count, colour, word in ((0, bucket.opens, OPEN_COLOUR, opens_word),
                                            (bar_w, bucket.clicks, CLICK_COLOUR, clicks_word)):
            if not count:
                continue
            h = count * scale
            tip = escape(f"{when}: {count} {word}")
            parts.append(f'<rect class="activity-{"opens" if offset == 0 else "clicks"}" x="{x + offset:.1f}" '
                         f'y="{base_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                         f'<title>{tip}</title></rect>')
    if buckets:
        for i, anchor in ((0, "start"), (len(buckets) - 1, "end"))[:min(len(buckets), 2)]:
            x = left + i * slot + (0 if anchor == "start" else slot)
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}" {_FONT} fill="#546e7a">'
                         f'{escape(activity_label(buckets[i].start, buckets[i].hourly))}</text>')
    label = _("%(title)s: %(opens)d opens and %(clicks)d clicks") % {
        "title": title, "opens": sum(b.opens for b in buckets), "clicks": sum(b.clicks for b in buckets)}
    return _svg(width, height, label, "".join(parts))
