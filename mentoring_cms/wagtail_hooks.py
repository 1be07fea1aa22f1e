from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import ContactPerson, Faculty

register_snippet(Faculty)
register_snippet(ContactPerson)

__all__ = ["hooks"]
