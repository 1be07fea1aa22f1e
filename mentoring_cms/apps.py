from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringCmsConfig(AppConfig):
    name = "mentoring_cms"
    label = "mentoring_cms"
    verbose_name = _("Mentoring programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401 (checks register)

        signal_handlers.connect()
