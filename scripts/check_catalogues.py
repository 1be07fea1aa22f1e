"""Check that every message catalogue compiles and is complete.

Run after ``make makemessages``: any fuzzy entry, any untranslated entry, or
a catalogue msgfmt rejects is reported, and the exit status is 1.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p
    for pattern in (
        "locale/*/LC_MESSAGES/django.po",
        "mentoring_cms/locale/*/LC_MESSAGES/django.po",
    )
    for p in ROOT.glob(pattern)
)


def main():
    problems = []
    if not CATALOGUES:
        problems.append("no catalogues found")
    for path in CATALOGUES:
        rel = path.relative_to(ROOT)
        result = subprocess.run(  # noqa: S603
            ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        if result.returncode:
            problems.append(f"{rel}: does not compile: {result.stderr.strip()}")
        catalogue = polib.pofile(str(path))
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{rel}: fuzzy: {entry.msgid!r}")
        for entry in catalogue.untranslated_entries():
            problems.append(f"{rel}: untranslated: {entry.msgid!r}")
        print(
            f"{rel}: {len(catalogue.translated_entries())} entries, {catalogue.percent_translated()}% translated"
        )
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
