"""Small helpers shared by the HTML views."""
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request) -> str | None:
    """The ``next`` parameter when it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


def client_ip(request) -> str | None:
    # Behind a proxy, let it set REMOTE_ADDR (gunicorn forwarded_allow_ips) rather than trusting headers here.
    return request.META.get("REMOTE_ADDR") or None
