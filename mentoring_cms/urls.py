"""URLs of the plugin outside the page tree; a site includes them once:
``path("", include("mentoring_cms.urls"))``."""

from django.urls import path

from . import health, wizard_drafts
from .outcomes.evaluation_urls import urlpatterns as evaluation_urls
from .outcomes.promotion_views import urlpatterns as promotion_urls
from .participation.urls import urlpatterns as participation_urls

app_name = "mentoring_cms"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(
        "application/resume/<str:token>/",
        wizard_drafts.resume_draft,
        name="draft_resume",
    ),
    *participation_urls,
    *evaluation_urls,
    *promotion_urls,
]
