from django.urls import path

from learncity.credentials import views, views_public

app_name = "credentials"

urlpatterns = [
    path(".well-known/did.json", views_public.did_json, name="did"),
    path("verify/", views_public.verify_page, name="verify"),
    path("credentials/verify", views_public.vc_api_verify, name="vc_api_verify"),
    path("credentials/status/<int:list_no>/<str:purpose>", views_public.status_list,
         name="status_list"),
    path("credentials/shared/<str:token>", views_public.shared, name="shared"),
    path("credentials/framework/<str:code>/<str:version>/", views_public.framework,
         name="framework"),
    path("credentials/", views.my_credentials, name="mine"),
    path("credentials/clr/", views.make_clr, name="clr"),
    path("credentials/transcript.pdf", views.transcript, name="transcript"),
    path("credentials/<uuid:uuid>/download", views.download, name="download"),
    path("credentials/<uuid:uuid>/share", views.share, name="share"),
]
