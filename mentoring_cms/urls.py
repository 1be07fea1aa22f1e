"""URLs of the plugin outside the page tree; a site includes them once:
``path("", include("mentoring_cms.urls"))``."""

app_name = "mentoring_cms"

urlpatterns = []
