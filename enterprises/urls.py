from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.home, name="home"),
    path("foretag/", views.directory, name="directory"),
    path("foretag/<slug:slug>/", views.detail, name="detail"),
    path("tjanster/", views.services, name="services"),
    path("om/", views.AboutView.as_view(), name="about"),
    path("tillganglighet/", views.AccessibilityView.as_view(), name="accessibility"),
    path("integritet/", views.PrivacyView.as_view(), name="privacy"),
    # Contact routes (contact, contact_done) go here: owned by the contact form engineer.
    path("kontakt/", views.contact, name="contact"),
    path("kontakt/tack/", views.contact_done, name="contact_done"),
]
