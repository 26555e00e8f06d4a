"""The site's own 404 page under DEBUG too.

With DEBUG on, Django answers every Http404 with its technical page, in English, listing the
URL patterns. Someone trying the site with `make run` should see what a visitor sees
(templates/404.html, in Indonesian); a developer sets DEBUG_TECHNICAL_404=1 for the technical one.
"""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found


def _replaced() -> bool:
    return settings.DEBUG and not settings.DEBUG_TECHNICAL_404


class SiteNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # no URL pattern matched: Django made its technical page before any view ran
        if response.status_code == 404 and request.resolver_match is None and _replaced():
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        """A view raised Http404 (get_object_or_404 and the like)."""
        if isinstance(exception, Http404) and _replaced():
            return page_not_found(request, exception)
        return None
