"""Texts as the site and the admin show them in a given language, so the
tests find buttons and labels through the same catalogues the pages use."""

from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation


def tr(text, language):
    """``text`` (a msgid or lazy string) as the site shows it in ``language``."""
    with translation.override(language):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def tr_js(text, language):
    """``text`` as the admin's JavaScript (wagtail-localize's editor) shows it."""
    return DjangoTranslation(language, domain="djangojs").gettext(text)
