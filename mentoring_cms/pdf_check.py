"""Checking an applicant's PDF within hard limits, once per file.

``inspect_pdf`` runs ``pdf_sandbox.py`` in a process of its own with a
CPU-time and memory limit and a wall-clock deadline, and reads its verdict
(a dict, see ``pdf_sandbox``). Verdicts are remembered in Django's cache by
the file's SHA-256 and the limits, so the same bytes uploaded again cost a
hash; the wizard keeps the verdict of a stored upload with it (see
``wizard_storage.ApplicationSessionStorage``), so showing or submitting a step never
checks a file again.

Limits (settings, see ``conf``): ``PDF_CHECK_SECONDS``,
``PDF_CHECK_MEMORY_BYTES``, ``PDF_MAX_PAGES``, ``PDF_MAX_OBJECTS`` and
``PDF_MAX_UNPACKED_BYTES``.
"""

import hashlib
import json
import logging
import signal
import subprocess
import sys
from pathlib import Path

from django.core.cache import cache

from .conf import get_setting

logger = logging.getLogger(__name__)

SANDBOX = Path(__file__).with_name("pdf_sandbox.py")
# The verdict on a file's bytes does not change under the same limits and
# rules; kept a month (HR's downloads of stored attachments use it too).
VERDICT_CACHE_SECONDS = 30 * 24 * 60 * 60
# Raised when the rules in pdf_sandbox.py change, so old verdicts are not used.
RULES_VERSION = 1


def limits(max_pages=None):
    """The limits of one check, as the sandbox reads them; ``max_pages``
    defaults to ``PDF_MAX_PAGES``."""
    if max_pages is None:
        max_pages = get_setting("PDF_MAX_PAGES")
    return {
        "seconds": int(get_setting("PDF_CHECK_SECONDS")),
        "memory_bytes": int(get_setting("PDF_CHECK_MEMORY_BYTES")),
        "pages": int(max_pages),
        "objects": int(get_setting("PDF_MAX_OBJECTS")),
        "unpacked_bytes": int(get_setting("PDF_MAX_UNPACKED_BYTES")),
    }


def sandbox_command(check_limits):
    """The command that checks one PDF given on its standard input: this
    Python, isolated from the environment (``-I``), running the sandbox."""
    return [sys.executable, "-I", str(SANDBOX), json.dumps(check_limits)]


def run_sandbox(data, check_limits):
    """The verdict of the sandbox on ``data`` (bytes). A check that runs out
    of time or memory, or fails in any other way, gives ``too_slow`` or
    ``not_checked``; the process is killed at the deadline."""
    try:
        completed = subprocess.run(  # noqa: S603 (our own script, no shell)
            sandbox_command(check_limits),
            input=data,
            capture_output=True,
            timeout=check_limits["seconds"] + 2,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"verdict": "too_slow"}
    if completed.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"verdict": "too_slow"}
    try:
        verdict = json.loads(completed.stdout)
    except ValueError:
        verdict = None
    if completed.returncode != 0 or not isinstance(verdict, dict):
        logger.warning(
            "A PDF check ended with status %s: %s",
            completed.returncode,
            completed.stderr.decode(errors="replace")[-500:],
        )
        return {"verdict": "not_checked"}
    return verdict


def inspect_pdf(upload, max_pages=None):
    """The verdict on ``upload`` (a file object, read from the start and
    left there), from the cache when the same bytes were checked under the
    same limits before."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    check_limits = limits(max_pages)
    digest = hashlib.sha256(data).hexdigest()
    rules = hashlib.sha256(
        json.dumps([RULES_VERSION, check_limits], sort_keys=True).encode()
    ).hexdigest()[:12]
    key = f"mentoring_cms:pdf-verdict:{rules}:{digest}"
    try:
        verdict = cache.get(key)
    except Exception:  # a cache that is down only costs a check
        logger.warning("The cache could not be read for a PDF verdict.")
        verdict = None
    if verdict is None:
        verdict = run_sandbox(data, check_limits)
        if verdict["verdict"] == "not_checked":
            return verdict
        try:
            cache.set(key, verdict, VERDICT_CACHE_SECONDS)
        except Exception:
            logger.warning("The cache could not keep a PDF verdict.")
    return verdict
