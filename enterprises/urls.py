from django.urls import path

from . import contact, views

app_name = "enterprises"

urlpatterns = [
    path("", views.home, name="home"),
    path("foretag/", views.directory, name="directory"),
    path("foretag/<slug:slug>/", views.detail, name="detail"),
    path("tjanster/", views.services, name="services"),
    path("om/", views.AboutView.as_view(), name="about"),
    path("tillganglighet/", views.AccessibilityView.as_view(), name="accessibility"),
    path("integritet/", views.PrivacyView.as_view(), name="privacy"),
    path("kontakt/", contact.contact, name="contact"),
    path("kontakt/tack/", contact.contact_done, name="contact_done"),
]
