"""URLs of the plugin outside the page tree; a site includes them once:
``path("", include("mentoring_cms.urls"))``."""

from django.urls import path

from . import health
from .outcomes.promotion_views import urlpatterns as promotion_urls
from .participation.urls import urlpatterns as participation_urls

app_name = "mentoring_cms"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    *participation_urls,
    *promotion_urls,
]
