"""The project's URLs plus the baseline of the latency measure: a view returning a fixed string."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from ppid.urls import urlpatterns as project_urls


@login_not_required
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urls]
