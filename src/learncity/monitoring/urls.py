from django.urls import path

from learncity.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.public, name="public"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", views.indicator, name="indicator"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/catalogue.json", views.catalogue_file, name="catalogue_file"),
    path("open-data/<int:year>/indicators.<str:fmt>", views.download, name="download"),
    path("reports/<int:year>/<str:language>.<str:fmt>", views.report_file, name="report_file"),
    path("survey/<str:token>/", views.survey_form, name="survey"),
]
