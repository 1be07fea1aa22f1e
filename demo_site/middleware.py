"""Middleware of the demo site."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, relaxed for the Wagtail admin only.

    ``settings.ADMIN_CONTENT_SECURITY_POLICY`` gives the admin's URL prefixes
    and the sources added there, so that public pages (where applicants type
    their personal data) keep the strict policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_policy = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
        if (
            admin_policy
            and not report_only
            and request.path_info.startswith(tuple(admin_policy["URL_PREFIXES"]))
        ):
            update = {key: list(v) for key, v in admin_policy["UPDATE"].items()}
            # Keep what a view added with django-csp's @csp_update.
            for key, sources in (parts.update or {}).items():
                if isinstance(sources, str):
                    sources = [sources]
                update[key] = [*update.get(key, []), *sources]
            parts.update = update
        return parts
