"""
Fail when translations are stale or incomplete (run by .ci/run and `make check`).

1. `makemessages` would not change the set of msgids of any .po file;
2. every entry of zh_Hans, zh_Hant and vi is translated and not fuzzy;
3. every committed .mo holds exactly the catalog compiled from its .po.

The working tree is left as it was.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "src" / "orglife"
LOCALE = APP / "locale"
LANGUAGES = ("zh_Hans", "zh_Hant", "vi")
BIN = Path(sys.executable).parent


def parse_po(path: Path) -> list[dict[str, object]]:
    """A minimal .po reader: entries with msgctxt, msgid, plural, msgstrs, flags."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""

    def flush() -> None:
        nonlocal current
        if "msgid" in current:
            entries.append(current)
        current = {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = ""
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if "msgid" in current:
                flush()
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))  # type: ignore[union-attr]
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgstr" in "".join(
                k for k in current if k.startswith("msgstr")
            ):
                flush()
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] = str(current[key]) + line[1:-1]
    flush()
    return entries


def msgid_set(path: Path) -> set[tuple[str, str, str]]:
    """The (context, msgid, plural) triples of a .po file, header excluded."""
    return {
        (str(e.get("msgctxt", "")), str(e["msgid"]), str(e.get("msgid_plural", "")))
        for e in parse_po(path)
        if e["msgid"] != ""
    }


def main() -> int:
    problems: list[str] = []
    po_files = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in LANGUAGES}
    for po in po_files.values():
        if not po.exists():
            problems.append(f"{po.relative_to(ROOT)} is missing (run `make messages`)")
    if problems:
        print("\n".join(problems))  # noqa: T201
        return 1

    before = {lang: msgid_set(po) for lang, po in po_files.items()}
    with tempfile.TemporaryDirectory() as backup_dir:
        backup = Path(backup_dir) / "locale"
        shutil.copytree(LOCALE, backup)
        try:
            subprocess.run(  # noqa: S603 - fixed argv
                [
                    str(BIN / "django-admin"),
                    "makemessages",
                    *[f"-l{lang}" for lang in LANGUAGES],
                    "--no-obsolete",
                    "--no-location",
                    "--ignore=tests/*",
                    "--ignore=*/tests/*",
                    "--settings=orglife.config.settings_test",
                    "--pythonpath=..",
                    "-v",
                    "0",
                ],
                cwd=APP,
                check=True,
            )
            after = {lang: msgid_set(po) for lang, po in po_files.items()}
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(backup, LOCALE)

    for lang in LANGUAGES:
        missing = after[lang] - before[lang]
        stale = before[lang] - after[lang]
        for _ctx, msgid, _plural in sorted(missing)[:20]:
            problems.append(f"{lang}: new string not in the .po file: {msgid!r}")
        for _ctx, msgid, _plural in sorted(stale)[:20]:
            problems.append(f"{lang}: .po holds a string no longer in the code: {msgid!r}")
        if missing or stale:
            problems.append(
                f"{lang}: {len(missing)} new and {len(stale)} obsolete strings; run `make messages`"
            )

    for lang, po in po_files.items():
        for entry in parse_po(po):
            if entry["msgid"] == "":
                continue
            flags = entry.get("flags", set())
            if "fuzzy" in flags:  # type: ignore[operator]
                problems.append(f"{lang}: fuzzy translation for {entry['msgid']!r}")
            strings = [v for k, v in entry.items() if k.startswith("msgstr")]
            if not strings or any(str(s).strip() == "" for s in strings):
                problems.append(f"{lang}: untranslated {entry['msgid']!r}")

        mo = po.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{mo.relative_to(ROOT)} is missing (run `make messages`)")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            compiled = Path(tmp) / "django.mo"
            subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)  # noqa: S603,S607
            with compiled.open("rb") as fresh, mo.open("rb") as committed:
                fresh_catalog = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
                committed_catalog = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
            if fresh_catalog != committed_catalog:
                problems.append(f"{mo.relative_to(ROOT)} is out of date with its .po (run `make messages`)")

    if problems:
        print("translation check failed:")  # noqa: T201
        print("\n".join(f"  - {p}" for p in problems[:200]))  # noqa: T201
        return 1
    print(f"translations complete and current for {', '.join(LANGUAGES)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
