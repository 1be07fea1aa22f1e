"""Build the mentoring_cms wheel into a temporary directory and check what it
holds: the plugin with its templates, static files, message catalogues
(.po and compiled .mo) and migrations, and nothing of the demo site or the
tests.

Run after ``make messages`` (the .mo files are compiled, not committed).
"""

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REQUIRED = [
    "mentoring_cms/__init__.py",
    "mentoring_cms/models/pages.py",
    # Run as a script of its own by pdf_check (the PDF check's sandbox).
    "mentoring_cms/pdf_sandbox.py",
    "mentoring_cms/migrations/0001_initial.py",
    "mentoring_cms/templates/mentoring_cms/program_page.html",
    "mentoring_cms/templates/mentoring_cms/program_round_page.html",
    "mentoring_cms/templates/mentoring_cms/session_page.html",
    "mentoring_cms/templates/mentoring_cms/contact_page.html",
    "mentoring_cms/templates/mentoring_cms/includes/apply_links.html",
    "mentoring_cms/static/mentoring_cms/css/mentoring.css",
    "mentoring_cms/locale/nb/LC_MESSAGES/django.po",
    "mentoring_cms/locale/nb/LC_MESSAGES/django.mo",
    "mentoring_cms/locale/en/LC_MESSAGES/django.po",
    "mentoring_cms/locale/en/LC_MESSAGES/django.mo",
]
FORBIDDEN_TOP_LEVEL = {"demo_site", "home", "tests", "templates", "locale", "scripts"}


def build(directory):
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            directory,
            str(ROOT),
        ],
        check=True,
    )
    wheels = list(Path(directory).glob("mentoring_cms-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel, found {wheels}")
    return wheels[0]


def main():
    problems = []
    with tempfile.TemporaryDirectory(prefix="mentoring-cms-wheel-") as directory:
        wheel = build(directory)
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
    for name in REQUIRED:
        if name not in names:
            problems.append(f"missing: {name}")
    for source in sorted((ROOT / "mentoring_cms" / "migrations").glob("*.py")):
        name = f"mentoring_cms/migrations/{source.name}"
        if name not in names:
            problems.append(f"missing migration: {name}")
    for source in sorted((ROOT / "mentoring_cms" / "templates").rglob("*.html")):
        name = source.relative_to(ROOT).as_posix()
        if name not in names:
            problems.append(f"missing template: {name}")
    for name in sorted(names):
        top = name.split("/", 1)[0]
        if top in FORBIDDEN_TOP_LEVEL:
            problems.append(f"should not be in the wheel: {name}")
    print(f"{wheel.name}: {len(names)} files")
    for problem in problems:
        print(problem)
    if any(p.endswith(".mo") for p in problems):
        print("(compile the catalogues first: make messages)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
