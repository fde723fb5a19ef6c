"""The benchmark runner's pure helpers (bench/harness.py); no timing is tested here."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HARNESS = Path(__file__).resolve().parents[4] / "bench" / "harness.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_harness", HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = _load()


def test_percentile_interpolates_between_ranks():
    samples = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert harness.percentile(samples, 0) == 1.0
    assert harness.percentile(samples, 100) == 4.0
    assert harness.percentile(samples, 50) == pytest.approx(2.5)
    assert harness.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert harness.percentile([7.0], 95) == 7.0


@pytest.mark.parametrize(("samples", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_bad_input(samples, q):
    with pytest.raises(ValueError, match="percentile"):
        harness.percentile(samples, q)


def test_summarize_reports_milliseconds():
    stats = harness.summarize([0.001, 0.002, 0.003])
    assert stats["n"] == 3
    assert stats["p50_ms"] == 2.0
    assert stats["min_ms"] == 1.0
    assert stats["max_ms"] == 3.0
    assert stats["mean_ms"] == 2.0


def test_verdict_in_both_directions():
    assert harness.verdict(9.0, 10) == "met"
    assert harness.verdict(10.0, 10) == "met"
    assert harness.verdict(11.0, 10) == "missed"
    assert harness.verdict(400, 350, higher_is_better=True) == "met"
    assert harness.verdict(84, 350, higher_is_better=True) == "missed"
    assert harness.verdict(None, 10) == "n/a"
    assert harness.verdict(5.0, None) == "n/a"


def test_replace_section_keeps_hand_written_text():
    text = "# Title\n\nintro\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nnotes after\n"
    result = harness.replace_section(text, "new table\n")
    assert (
        result == "# Title\n\nintro\n\n<!-- bench:begin -->\nnew table\n<!-- bench:end -->\n\nnotes after\n"
    )
    # Idempotent: replacing again with the same body changes nothing.
    assert harness.replace_section(result, "new table") == result


def test_replace_section_appends_markers_when_missing():
    result = harness.replace_section("# Title\nintro", "table")
    assert result == "# Title\nintro\n\n<!-- bench:begin -->\ntable\n<!-- bench:end -->\n"


@pytest.mark.parametrize(
    "text",
    [
        "<!-- bench:begin -->\nonly the start\n",
        "only the end\n<!-- bench:end -->\n",
        "<!-- bench:end -->\nreversed\n<!-- bench:begin -->\n",
        "<!-- bench:begin -->a<!-- bench:end --><!-- bench:begin -->b<!-- bench:end -->",
    ],
)
def test_replace_section_refuses_broken_markers(text):
    with pytest.raises(ValueError, match="bench:"):
        harness.replace_section(text, "table")


def test_markdown_table_escapes_pipes():
    table = harness.markdown_table(["a", "b"], [["x|y", "line\nbreak"]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | line break |"]


def test_formatters():
    assert harness.fmt_ms(None) == "—"
    assert harness.fmt_ms(0.123) == "0.12 ms"
    assert harness.fmt_ms(12.34) == "12.3 ms"
    assert harness.fmt_ms(1234.0) == "1,234 ms"
    assert harness.fmt_latency({"p50_ms": 1.5, "p95_ms": 2.5}) == "1.5 ms / 2.5 ms"
    assert harness.fmt_rate(1234.4, " req/s") == "1,234 req/s"
    assert harness.fmt_rate(12.34) == "12.3/s"
