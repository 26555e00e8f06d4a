"""Login throttling (django-axes): whose address a login comes from, and the lockout page."""

from django.conf import settings
from django.shortcuts import render


def client_address(request) -> str | None:
    """The client's address; behind TRUSTED_PROXY_COUNT proxies of ours, the one they saw.

    Each proxy appends the address it received from, so the trustworthy entry is the
    TRUSTED_PROXY_COUNT-th from the right; anything to its left can be forged by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """Too many failed logins for this username from this address: say so, in Indonesian."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
