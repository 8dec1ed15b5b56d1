"""The one table `make bench` prints and writes to bench/results/latest.md."""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Row:
    section: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "NO", None: ""}[self.met]


@dataclass
class Report:
    headline: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)  # 1-minute load average before->after each part

    def add(self, section: str, measure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(section, measure, value, target, met))

    def headline_ratio(self, measure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.headline.append(Row("headline", measure, value, target, met))

    def markdown(self) -> str:
        cpu = _cpu_model()
        lines = [
            "# Benchmark results",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M UTC} on {cpu}, {_cores()} cores, Python {platform.python_version()}, "
            "PostgreSQL and Redis on the same machine (shared, noisy: compare the ratios, measured in one run).",
            "",
            "## Headline (ratios measured in this run)",
            "",
            *_table(self.headline, with_section=False),
            "",
            "## All figures",
            "",
            *_table(self.rows, with_section=True),
        ]
        notes = list(self.notes)
        if self.loads:
            notes.append("machine load (1-minute average, before->after each part; 2 cores): " + ", ".join(self.loads))
        if notes:
            lines += ["", "## Notes", "", *[f"- {note}" for note in notes]]
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".md.tmp")
        tmp.write_text(self.markdown())
        tmp.replace(path)


def _table(rows: list[Row], *, with_section: bool) -> list[str]:
    head = ["part", "measure", "value", "target", "met"] if with_section else ["measure", "value", "target", "met"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.measure, row.value, row.target, row.verdict]
        if with_section:
            cells.insert(0, row.section)
        out.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def per_second(value: float, unit: str = "/s") -> str:
    return f"{value:,.0f}{unit}"


def mib(value: float) -> str:
    return f"{value / (1024 * 1024):.0f} MiB"
