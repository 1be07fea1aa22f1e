"""Adopt mentoring_cms into a brand-new Wagtail site, as the README says.

1. Build the sdist and the wheel from a clean clone (scripts/check_wheel.py).
2. A fresh virtual environment: ``pip install`` the wheel (its dependencies
   come from PyPI; pip's cache serves repeat runs); ``wagtail start mysite``.
3. Apply the README's "Adding mentoring_cms to an existing Wagtail site"
   snippets exactly as written (the blocks marked ``adoption-smoke: …``).
4. ``migrate``; ``check --deploy --database default`` with DEBUG off must
   report no error or warning of the plugin except the missing faculties;
   ``setup_programme --faculties`` imports them (twice, idempotent) and the
   warning is gone.
5. A smoke test through Django's test client: the Norwegian programme page
   shows the plugin's Norwegian strings and its English translation the
   English ones, a mentee applies in Norwegian, the emails are queued and
   the worker sends them, HR lists the application.

Usage: ``python scripts/adoption_smoke.py [--keep DIR]`` (DIR keeps the site).
Exit status 0 when every step passed. About two minutes with a warm pip
cache.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from email.header import decode_header, make_header
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SITE = "mysite"
FACULTIES_CSV = (
    "code,name_nb,name_en\n"
    "NV,Fakultet for naturvitenskap,Faculty of Natural Sciences\n"
    "HF,Det humanistiske fakultet,Faculty of Humanities\n"
)
STARTED = time.monotonic()


def step(message):
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def run(*args, cwd=None, env=None, capture=False):
    """Run a command; stop with its output when it fails."""
    result = subprocess.run(  # noqa: S603
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(
            f"FAILED: {' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout + result.stderr if capture else None


def readme_snippets():
    """The README's code blocks marked ``<!-- adoption-smoke: NAME -->``, by
    NAME, with the list indentation removed."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(
        r"<!-- adoption-smoke: ([\w-]+) -->\s*\n([ \t]*)```\w*\n(.*?)\n[ \t]*```",
        re.S,
    )
    snippets = {}
    for name, _indent, body in pattern.findall(text):
        snippets[name] = textwrap.dedent(body) + "\n"
    expected = {"settings", "urls", "html-lang", "load", "head", "body"}
    if set(snippets) != expected:
        sys.exit(f"README snippets: found {sorted(snippets)}, want {sorted(expected)}")
    return snippets


def replace_once(text, old, new, what):
    if text.count(old) != 1:
        sys.exit(f"the starter project's {what} no longer has {old!r} once")
    return text.replace(old, new)


def apply_readme(site, snippets):
    """Steps 2–4 of the README on the ``wagtail start`` project at ``site``."""
    settings = site / SITE / "settings" / "base.py"
    settings.write_text(settings.read_text() + "\n" + snippets["settings"])

    urls = site / SITE / "urls.py"
    text = urls.read_text()
    # "replace the last block (the one that ends with
    # path("", include(wagtail_urls)))"
    last_block = text.rindex("urlpatterns = urlpatterns + [")
    if 'path("", include(wagtail_urls))' not in text[last_block:]:
        sys.exit("the starter's urls.py no longer ends with Wagtail's catch-all")
    urls.write_text(text[:last_block] + snippets["urls"])

    base = site / SITE / "templates" / "base.html"
    text = base.read_text()
    text = replace_once(
        text, '<html lang="en">', snippets["html-lang"].strip(), "base.html"
    )
    text = snippets["load"] + text
    text = replace_once(text, "</head>", snippets["head"] + "</head>", "base.html")
    text = replace_once(
        text,
        "{% wagtailuserbar %}",
        "{% wagtailuserbar %}\n" + snippets["body"],
        "base.html",
    )
    base.write_text(text)


# Run inside the new site with its settings: the pages, an application in
# Norwegian through the test client, the queued emails, HR's listing.
SMOKE_TEST = r"""
import datetime
import os
import sys

import django

django.setup()

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale, Site

from mentoring_cms.url_names import url_name
from mentoring_cms.forms import faculty_choices, privacy_notice_version
from mentoring_cms.models import Application, ProgramPage, ProgramRoundPage


def fail(message, response=None):
    detail = ""
    if response is not None:
        detail = f"\n(HTTP {response.status_code}) {response.content.decode()[:3000]}"
    sys.exit(f"SMOKE FAILED: {message}{detail}")


home = Site.objects.get(is_default_site=True).root_page.specific
if home.locale.language_code != "nb":
    fail(f"the home page's language is {home.locale.language_code}, not nb")
programme = ProgramPage(
    title="Mentorprogram", slug="mentorprogram", intro="<p>For kvinner.</p>"
)
home.add_child(instance=programme)
programme.save_revision().publish()
today = timezone.localdate()
programme_round = ProgramRoundPage(
    title="Runde " + str(today.year),
    slug="runde",
    application_opens=timezone.now() - datetime.timedelta(days=1),
    application_closes=timezone.now() + datetime.timedelta(days=14),
    period_start=today + datetime.timedelta(days=30),
    period_end=today + datetime.timedelta(days=400),
)
programme.add_child(instance=programme_round)
programme_round.save_revision().publish()

client = Client()
response = client.get("/nb/mentorprogram/")
html = response.content.decode()
if response.status_code != 200:
    fail("the Norwegian programme page", response)
for expected in ('<html lang="nb">', "Søk som adept", 'hreflang="nb"'):
    if expected not in html:
        fail(f"{expected!r} is not on the Norwegian programme page", response)
print("Norwegian programme page: lang=nb, 'Søk som adept', hreflang links")

# The English translations (as wagtail-localize's "Translate" action makes
# them: a copy in the other locale, published).
english = Locale.objects.get_or_create(language_code="en")[0]
for page in (home, programme, programme_round):
    translation = page.copy_for_translation(english)
    translation.save_revision().publish()
response = client.get("/en/mentorprogram/")
html = response.content.decode()
if response.status_code != 200:
    fail("the English programme page", response)
for expected in ('<html lang="en">', "Apply as mentee", 'hreflang="nb"'):
    if expected not in html:
        fail(f"{expected!r} is not on the English programme page", response)
if 'href="/en/mentorprogram/"' not in client.get("/nb/mentorprogram/").content.decode():
    fail("the Norwegian page's language menu does not lead to the English page")
print("English programme page: lang=en, 'Apply as mentee'; the menus link both")

faculty = faculty_choices("nb")[0][0]
prefix = f"mentoring_cms_{programme_round.translation_key.hex}_mentee"
apply_url = programme_round.url + "apply/mentee/"
answers = {
    "about": {
        "full_name": "Kari Nordmann",
        "email": "kari.nordmann@example.org",
        "phone": "+47 73 59 50 00",
        "language": "nb",
    },
    "position": {
        "position": "associate_professor",
        "permanently_employed": "yes",
        "faculty": faculty,
        "department": "Institutt for kjemi",
        "academic_field": "Beregningsorientert kjemi",
    },
    "promotion": {
        "promotion_target": "professor",
        "promotion_progress": "under_way",
        "planned_application": "1_2_years",
        "progress_summary": "Tre av fem artikler er publisert.",
    },
    "motivation": {
        "motivation": "Jeg vil bli professor.",
        "justification": "Tiden er inne.",
        "expectations": "Råd om søknaden.",
    },
    "matching": {
        # No track: a mentee's follows the promotion target above.
        "matching_topics": ["networking"],
        "matching_languages": ["nb"],
    },
    "consent": {
        "confirm_gatherings": "on",
        "confirm_meetings": "on",
        "accept_privacy": "on",
        "notice_version": privacy_notice_version(programme_round.privacy_notice),
    },
    "review": {},
}
response = client.get(apply_url, follow=True)
if response.status_code != 200 or "Steg 1 av" not in response.content.decode():
    fail("the first step of the mentee application in Norwegian", response)
step_names = list(answers)
for index, (step_name, fields) in enumerate(answers.items()):
    data = {f"{prefix}-current_step": step_name}
    data.update({f"{step_name}-{name}": value for name, value in fields.items()})
    response = client.post(apply_url + step_name + "/", data)
    if response.status_code != 302:
        fail(f"step {step_name!r} of the mentee application", response)
    # Each step leads to the next one (a step the smoke test does not know
    # would send it back there, and the application would never be stored).
    following = step_names[index + 1] if index + 1 < len(step_names) else None
    if following and not response["Location"].endswith(f"/{following}/"):
        fail(
            f"step {step_name!r} led to {response['Location']}, not {following!r}",
            response,
        )
response = client.get(response["Location"])
if Application.objects.count() != 1:
    fail(f"{Application.objects.count()} applications stored, not 1", response)
application = Application.objects.get()
print(f"Mentee applied in Norwegian: {application.reference}")

# One task sends both emails: the confirmation and HR's notice.
queued = list(
    DBTaskResult.objects.filter(
        task_path="mentoring_cms.tasks.send_application_emails"
    ).values_list("args_kwargs", flat=True)
)
if len(queued) != 1 or application.pk not in queued[0].get("args", []):
    fail(f"email tasks queued: {queued}, not one for the new application")
print("Emails queued for the worker: the confirmation and HR's notice")

hr = get_user_model().objects.create_user("hr", password="hr-smoke-password")
hr.groups.add(Group.objects.get(name="HR reviewers"))
client.force_login(hr)
response = client.get(reverse(url_name("index")))
if response.status_code != 200 or "Kari Nordmann" not in response.content.decode():
    fail("HR's listing of the applications", response)
print("HR lists the application")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", metavar="DIR", help="build the site in DIR")
    args = parser.parse_args()
    snippets = readme_snippets()
    work = Path(args.keep or tempfile.mkdtemp(prefix="mentoring-cms-adoption-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        smoke(work, snippets)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    step("adoption smoke test passed")


def smoke(work, snippets):
    dist = work / "dist"
    step("building the sdist and the wheel from a clean clone")
    run(sys.executable, ROOT / "scripts" / "check_wheel.py", "--keep", dist)
    wheel = next(dist.glob("mentoring_cms-*.whl"))

    step("a fresh virtual environment with the wheel (dependencies from PyPI)")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(python, "-m", "pip", "install", "--quiet", wheel)

    step("wagtail start mysite, then the README's settings, URLs and base.html")
    site = work / "site"
    site.mkdir(exist_ok=True)
    run(venv / "bin" / "wagtail", "start", SITE, site)
    apply_readme(site, snippets)
    private = work / "private-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"{SITE}.settings.dev",
        "MENTORING_CMS_PRIVATE_MEDIA_ROOT": str(private),
        "PYTHONPATH": str(site),
    }
    env.pop("DATABASE_URL", None)
    manage = [python, site / "manage.py"]

    step("migrate")
    run(*manage, "migrate", "--noinput", cwd=site, env=env)

    step("check --deploy --database default, with DEBUG off")
    (site / SITE / "settings" / "local.py").write_text(
        "import os\n"
        "SECRET_KEY = os.environ.get('SECRET_KEY', 'adoption-smoke-only')\n"
        "ALLOWED_HOSTS = ['testserver', 'localhost']\n"
    )
    deploy_env = {**env, "DJANGO_SETTINGS_MODULE": f"{SITE}.settings.production"}
    report = run(
        *manage, "check", "--deploy", "--database", "default", cwd=site,
        env=deploy_env, capture=True,
    )  # fmt: skip
    plugin = set(re.findall(r"mentoring_cms\.[EWI]\d{3}", report))
    if plugin != {"mentoring_cms.W004", "mentoring_cms.I001"}:
        sys.exit(f"plugin checks before the faculty import: {sorted(plugin)}\n{report}")

    step("setup_programme --faculties (twice: the second changes nothing)")
    csv_path = work / "faculties.csv"
    csv_path.write_text(FACULTIES_CSV, encoding="utf-8")
    run(*manage, "setup_programme", "--faculties", csv_path, cwd=site, env=env)
    second = run(
        *manage, "setup_programme", "--faculties", csv_path, cwd=site, env=env,
        capture=True,
    )  # fmt: skip
    if "0 navn lagt til, 0 endret" not in second:
        sys.exit(f"the second import was not a no-op:\n{second}")
    report = run(
        *manage, "check", "--deploy", "--database", "default", cwd=site,
        env=deploy_env, capture=True,
    )  # fmt: skip
    plugin = set(re.findall(r"mentoring_cms\.[EWI]\d{3}", report))
    if plugin != {"mentoring_cms.I001"}:
        sys.exit(f"plugin checks after the faculty import: {sorted(plugin)}\n{report}")

    step("smoke test: Norwegian pages, a mentee applies, emails queued, HR lists")
    script = work / "smoke_test.py"
    script.write_text(SMOKE_TEST, encoding="utf-8")
    print(run(python, script, cwd=site, env=env, capture=True), end="")

    step("the worker sends the queued emails")
    sent = run(
        *manage, "db_worker", "--batch", "--no-reload", cwd=site, env=env,
        capture=True,
    )  # fmt: skip
    subjects = [
        str(make_header(decode_header(value)))
        for value in re.findall(r"^Subject: (.*)$", sent, re.M)
    ]
    # The confirmation to the applicant and the notice to HR, in Norwegian.
    if len(subjects) != 2 or not all("søknad" in s.lower() for s in subjects):
        sys.exit(f"the worker did not send two Norwegian emails: {subjects}\n{sent}")
    print("".join(f"Sent: {subject}\n" for subject in subjects), end="")


if __name__ == "__main__":
    main()
