"""Names of the plugin's admin URLs, for code at any layer that links to
them (the admin views, the HR notification email)."""

# The name of ``ApplicationViewSet`` and so the namespace of its URLs.
VIEWSET_NAME = "mentoring_applications"


def url_name(view):
    """The URL name of one view of HR's application area (``"index"``,
    ``"edit"``, ``"export"``…), for ``reverse``."""
    return f"{VIEWSET_NAME}:{view}"
