"""Responses of staff pages are never kept by a browser or a proxy."""

from django.utils.cache import add_never_cache_headers


class StaffPagesNoStoreMiddleware:
    """A page that needs a login shows exempted content (titles, tests, files, places): a
    shared office computer must not keep it after logout, nor the back button show it again.
    Public pages (views marked login_not_required) keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_staff_page", False) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            add_never_cache_headers(response)
            response["Cache-Control"] = "private, no-store, no-cache, must-revalidate, max-age=0"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        needs_login = getattr(view_func, "login_required", True)
        is_admin = request.resolver_match and request.resolver_match.app_name == "admin"
        request._staff_page = bool(needs_login or is_admin)
