from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    # Case officers (and the coordinator): the places and their own requests.
    path("", views.place_list, name="list"),
    path("export.csv", views.place_export, name="export"),
    path("<int:pk>/", views.place_detail, name="place"),
    path("<int:pk>/forfragan/", views.request_create, name="request_create"),
    path("mina-forfragningar/", views.my_requests, name="my_requests"),
    # Enterprise staff (their own enterprises) and the coordinator (all): the answers.
    path("forfragningar/", views.decision_list, name="decision_list"),
    path("forfragningar/<int:pk>/", views.decision, name="decision"),
    path("forfragningar/<int:pk>/anta/", views.request_accept, name="accept"),
    path("forfragningar/<int:pk>/angra-antagning/", views.request_accept_undo, name="accept_undo"),
    path("forfragningar/<int:pk>/avboj/", views.request_decline, name="decline"),
    path("forfragningar/<int:pk>/vantelista/", views.request_waitlist, name="waitlist"),
    path("placeringar/", views.placement_list, name="placement_list"),
    path("placeringar/<int:pk>/avsluta/", views.placement_end, name="placement_end"),
    # The link in a reminder mail: confirms a place's details without login (a signed token).
    path("bekrafta/<str:token>/", views.place_confirm, name="place_confirm"),
]
