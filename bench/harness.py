"""
Pure helpers for the benchmark runner (no Django, no database).

Kept apart from ``bench/run.py`` so that a unit test can import them
(src/orglife/common/tests/test_bench_helpers.py): percentiles, latency
summaries, verdicts against a target, and the rewrite of the generated
section of docs/performance.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from time import perf_counter
from typing import Any

BEGIN_MARKER = "<!-- bench:begin -->"
END_MARKER = "<!-- bench:end -->"


def percentile(samples: Sequence[float], q: float) -> float:
    """
    The ``q``-th percentile (0–100) with linear interpolation between the
    two nearest ranks (numpy's default, "linear").
    """
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(seconds: Sequence[float]) -> dict[str, Any]:
    """p50/p95/min/max/mean in milliseconds (rounded to 3 decimals) of timings in seconds."""
    millis = [value * 1000 for value in seconds]
    return {
        "n": len(millis),
        "p50_ms": round(percentile(millis, 50), 3),
        "p95_ms": round(percentile(millis, 95), 3),
        "min_ms": round(min(millis), 3),
        "max_ms": round(max(millis), 3),
        "mean_ms": round(sum(millis) / len(millis), 3),
    }


def time_calls(function: Callable[[], Any], *, repeat: int, warmup: int = 3) -> list[float]:
    """Call ``function`` ``warmup`` times untimed, then ``repeat`` times; the timings in seconds."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        started = perf_counter()
        function()
        timings.append(perf_counter() - started)
    return timings


def verdict(measured: float | None, target: float | None, *, higher_is_better: bool = False) -> str:
    """'met' or 'missed' against ``target``; 'n/a' when either side is missing."""
    if measured is None or target is None:
        return "n/a"
    ok = measured >= target if higher_is_better else measured <= target
    return "met" if ok else "missed"


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table; ``|`` and newlines in cells are escaped."""

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(cell(header) for header in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines)


def replace_section(text: str, body: str, *, begin: str = BEGIN_MARKER, end: str = END_MARKER) -> str:
    """
    Replace what lies between ``begin`` and ``end`` in ``text`` with ``body``,
    leaving everything outside the markers untouched. Without markers the
    section is appended at the end. One marker alone, or the markers out of
    order or repeated, is an error (nothing hand-written is ever overwritten).
    """
    starts, ends = text.count(begin), text.count(end)
    if starts == 0 and ends == 0:
        separator = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{separator}\n{begin}\n{body.strip()}\n{end}\n"
    if starts != 1 or ends != 1:
        raise ValueError(f"expected exactly one {begin!r} and one {end!r}, found {starts} and {ends}")
    head, rest = text.split(begin, 1)
    if end not in rest:
        raise ValueError(f"{end!r} comes before {begin!r}")
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body.strip()}\n{end}{tail}"


def fmt_ms(value: float | None) -> str:
    """A duration in milliseconds for a table cell: 3 significant digits-ish."""
    if value is None:
        return "—"
    if value < 1:
        return f"{value:.2f} ms"
    if value < 100:
        return f"{value:.1f} ms"
    return f"{value:,.0f} ms"


def fmt_latency(stats: dict[str, Any] | None) -> str:
    """'p50 / p95' of a :func:`summarize` result."""
    if not stats:
        return "—"
    return f"{fmt_ms(stats['p50_ms'])} / {fmt_ms(stats['p95_ms'])}"


def fmt_rate(value: float | None, unit: str = "/s") -> str:
    """A rate for a table cell."""
    if value is None:
        return "—"
    return f"{value:,.0f}{unit}" if value >= 100 else f"{value:,.1f}{unit}"
