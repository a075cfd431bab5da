"""The portal's URLs plus /bench/hello/, only for the benchmark's server (bench_settings.py).

The portal's own URL table (asfnet.urls) is unchanged: the view exists nowhere else.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from asfnet.urls import handler500  # noqa: F401 - the portal's error page here too
from asfnet.urls import urlpatterns as portal_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the baseline every page is measured against."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *portal_urlpatterns]
