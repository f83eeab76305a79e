"""Portal pages of the LRS (the xAPI resources themselves are in urls.py, under /xapi/)."""

from django.urls import path

from learncity.lrs import views_portal

app_name = "lrs_portal"

urlpatterns = [
    path("institution/lrs-credentials/", views_portal.credentials, name="credentials"),
    path("archive/learning-platform-emails/", views_portal.emails, name="emails"),
]
