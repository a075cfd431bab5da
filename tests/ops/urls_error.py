"""The site's URLs plus one view that fails, to see what a 500 does."""

from django.urls import path

from asfnet.urls import handler500  # noqa: F401 - the site's error page
from asfnet.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("the test view failed on purpose")


urlpatterns = [path("trasig/", broken_view), *site_urlpatterns]
