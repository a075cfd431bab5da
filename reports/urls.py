from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>.pdf", views.report_pdf, name="pdf"),
    path("<int:year>/v<int:number>/", views.version_detail, name="version"),
    path("<int:year>/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("<int:year>/statistik.csv", views.statistics_csv, name="statistics_csv"),
]
