"""URL map: portal pages, the admin, the API, language switching, evidence files."""

from django.contrib import admin
from django.urls import include, path

from learncity.api.api import build_api

api = build_api()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("xapi/", include("learncity.lrs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("monitoring/", include("learncity.monitoring.urls")),
    path("", include("learncity.creditbank.urls")),
    path("", include("learncity.transfer.urls")),
    path("", include("learncity.credentials.urls")),
    path("catalogue/", include("learncity.catalogue.urls")),
    path("", include("learncity.lrs.urls_portal")),
    path("", include("learncity.portal.urls")),
]
