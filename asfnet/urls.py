import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from enterprises import views as storefront
from enterprises.uploads import serve_media

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", storefront.sitemap_xml, name="sitemap"),
    path("robots.txt", storefront.robots_txt, name="robots_txt"),
]

# Swedish at the contract paths (/foretag/), English under /en/ (/en/foretag/).
urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("platser/", include("placements.urls")),
    path("rapporter/", include("reports.urls")),
    path("", include("enterprises.urls")),
    prefix_default_language=False,
)

# Uploaded images, in production too: with the type their extension says, never sniffed, and
# anything else as a download (enterprises.uploads.serve_media).
urlpatterns += [
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", serve_media, name="media"
    ),
]

# A server error page that needs nothing but the templates; a 503 when the database is away.
handler500 = "asfnet.views.server_error"
