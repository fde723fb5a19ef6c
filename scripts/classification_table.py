"""
Write the data-classification table into docs/security.md (between the
``<!-- classification:begin -->`` and ``<!-- classification:end -->``
markers) from ``orglife.common.classification``, the source of truth.

    .venv/bin/python scripts/classification_table.py          # rewrite the docs
    .venv/bin/python scripts/classification_table.py --check  # exit 1 when stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from orglife.common.classification import markdown_table  # noqa: E402

DOCS = ROOT / "docs" / "security.md"
BEGIN = "<!-- classification:begin -->"
END = "<!-- classification:end -->"


def render(text: str) -> str:
    """``text`` with the table between the markers replaced by the current one."""
    start = text.index(BEGIN) + len(BEGIN)
    end = text.index(END)
    return text[:start] + "\n" + markdown_table() + text[end:]


def main() -> int:
    """Rewrite the table, or with --check report whether it is current."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 when the table is stale")
    args = parser.parse_args()
    text = DOCS.read_text()
    wanted = render(text)
    if args.check:
        if wanted != text:
            print(f"{DOCS}: the classification table is stale; run {Path(__file__).name}", file=sys.stderr)  # noqa: T201
            return 1
        return 0
    DOCS.write_text(wanted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
