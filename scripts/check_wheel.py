"""Build the mentoring_cms sdist and wheel from a clean clone of the
repository (its committed HEAD, without the compiled catalogues a working
copy has) and check what they hold: the plugin with its templates, static
files, message catalogues (.po, and .mo compiled by the build, see setup.py)
and migrations, and nothing of the demo site or the tests. The compiled
Norwegian catalogue must translate the plugin's own strings.

``python scripts/check_wheel.py --keep DIR`` leaves the built files in DIR
(scripts/adoption_smoke.py installs that wheel).
"""

import argparse
import gettext
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A string of the plugin and its Norwegian translation (from the catalogue).
PROBE = ("Apply as mentee", "Søk som adept")

REQUIRED = [
    "mentoring_cms/__init__.py",
    "mentoring_cms/models/pages/round.py",
    "mentoring_cms/admin/listing.py",
    "mentoring_cms/questions/core.py",
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


def clone(directory):
    """A clean clone of the repository's HEAD in ``directory``/src."""
    source = Path(directory) / "src"
    subprocess.run(  # noqa: S603
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(source)],  # noqa: S607
        check=True,
    )
    return source


def build(source, out_dir):
    """The sdist, then the wheel built from that sdist (``python -m build``)."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "build", "--outdir", str(out_dir), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"the build failed:\n{result.stdout}{result.stderr}")
    wheels = list(Path(out_dir).glob("mentoring_cms-*.whl"))
    sdists = list(Path(out_dir).glob("mentoring_cms-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise SystemExit(f"expected one wheel and one sdist, found {wheels + sdists}")
    return wheels[0], sdists[0]


def translates(mo_bytes):
    catalogue = gettext.GNUTranslations(io.BytesIO(mo_bytes))
    return catalogue.gettext(PROBE[0]) == PROBE[1]


def check_wheel(wheel):
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        mo_name = "mentoring_cms/locale/nb/LC_MESSAGES/django.mo"
        if mo_name in names and not translates(archive.read(mo_name)):
            problems.append(f"{mo_name} does not translate {PROBE[0]!r}")
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
    return problems


def check_sdist(sdist):
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    print(f"{sdist.name}: {len(names)} files")
    return [
        f"missing from the sdist: {name}"
        for name in REQUIRED
        if name.endswith(".mo") and name not in names
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", metavar="DIR", help="copy the built files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mentoring-cms-wheel-") as directory:
        source = clone(directory)
        if list(source.rglob("*.mo")):
            raise SystemExit("the clean clone holds .mo files: they are built")
        wheel, sdist = build(source, Path(directory) / "dist")
        problems = check_wheel(wheel) + check_sdist(sdist)
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            for built in (wheel, sdist):
                shutil.copy(built, args.keep)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
