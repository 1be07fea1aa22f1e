"""Middleware of the demo site."""

import ipaddress

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


class ClientAddressMiddleware:
    """Put the applicant's address, not the load balancer's, in REMOTE_ADDR.

    Behind a proxy every request arrives from the proxy's address, and the
    application forms' rate limits (which count per REMOTE_ADDR) would make
    all applicants share one count. When the request comes from one of
    ``settings.TRUSTED_PROXIES`` (addresses or networks; ``*`` for any), the
    client is the right-most address in X-Forwarded-For that is not itself a
    trusted proxy: the addresses further left were sent by the client and can
    be forged.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trust_all = "*" in settings.TRUSTED_PROXIES
        self.trusted = [
            ipaddress.ip_network(entry, strict=False)
            for entry in settings.TRUSTED_PROXIES
            if entry != "*"
        ]

    def is_trusted(self, address):
        try:
            address = ipaddress.ip_address(address)
        except ValueError:
            return False
        return self.trust_all or any(address in net for net in self.trusted)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and self.is_trusted(request.META.get("REMOTE_ADDR", "")):
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            for hop in reversed(hops):
                if not self.is_trusted(hop):
                    try:
                        ipaddress.ip_address(hop)
                    except ValueError:
                        break
                    request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)
