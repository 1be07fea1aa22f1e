"""The README's adoption snippets apply to a fresh ``wagtail start`` project
(scripts/adoption_smoke.py, run by CI, then installs and runs that site)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_smoke():
    spec = importlib.util.spec_from_file_location(
        "adoption_smoke", ROOT / "scripts" / "adoption_smoke.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_snippets_apply_to_a_new_wagtail_project(tmp_path):
    smoke = load_smoke()
    snippets = smoke.readme_snippets()
    wagtail = Path(sys.executable).parent / "wagtail"
    subprocess.run(  # noqa: S603
        [str(wagtail), "start", "mysite", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    smoke.apply_readme(tmp_path, snippets)
    settings = (tmp_path / "mysite/settings/base.py").read_text()
    compile(settings, "base.py", "exec")
    compile((tmp_path / "mysite/urls.py").read_text(), "urls.py", "exec")
    namespace = {"__file__": str(tmp_path / "mysite/settings/base.py")}
    exec(settings, namespace)  # noqa: S102
    middleware = namespace["MIDDLEWARE"]
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
        < locale
        < middleware.index("django.middleware.common.CommonMiddleware")
    )
    assert "mentoring_cms" in namespace["INSTALLED_APPS"]
    assert namespace["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    base = (tmp_path / "mysite/templates/base.html").read_text()
    assert '<html lang="{{ LANGUAGE_CODE }}">' in base
    assert '<html lang="en">' not in base
    assert base.startswith("{% load i18n static mentoring_cms_tags %}")
    assert "{% language_switcher page %}" in base
    assert "{% language_alternates page %}" in base
