"""The portal's URLs plus a hello-world view, only for the load test's server.

The load test's WSGI module (load_wsgi.py) selects this URLconf; the portal's own URL table
(asfnet.urls) is unchanged, so the view exists nowhere else.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from asfnet.urls import urlpatterns as portal_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do, behind the same middleware as every page."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("load/hello/", hello), *portal_urlpatterns]
