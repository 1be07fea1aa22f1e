"""The repository's own text files are whole: no merge conflict left in
documentation, code, templates or catalogues."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7}|>{7})( |$)|^={7}$", re.M)
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".html",
    ".txt",
    ".po",
    ".toml",
    ".cfg",
    ".js",
    ".css",
    ".json",
    ".yml",
    ".yaml",
    "",
}


def tracked_files():
    try:
        listed = subprocess.run(
            ["git", "ls-files"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout (an installed package)")
    return [ROOT / name for name in listed if Path(name).suffix in TEXT_SUFFIXES]


def test_no_merge_conflict_markers_in_tracked_files():
    found = []
    for path in tracked_files():
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for match in MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "merge conflict markers: " + ", ".join(found)
