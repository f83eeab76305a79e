from django.urls import path

from learncity.transfer import views, views_staff

app_name = "transfer"

urlpatterns = [
    path("transfer/", views.home, name="home"),
    path("transfer/explore/<str:code>/", views.explore, name="explore"),
    path("transfer/explore/<str:code>/apply/", views.start, name="start"),
    path("transfer/applications/<int:application_id>/", views.application, name="application"),
    path(
        "transfer/applications/<int:application_id>/<str:action>/",
        views.learner_action,
        name="learner_action",
    ),
    path("transfer/notifications/", views.notifications, name="notifications"),
    path("transfer/transcript/", views.transcript, name="transcript"),
    path("transfer/institution/", views_staff.institution, name="institution"),
    path(
        "transfer/standards/<int:standard_id>/<str:action>/",
        views_staff.standard_action,
        name="standard_action",
    ),
    path("transfer/review/", views_staff.queue, name="queue"),
    path(
        "transfer/review/<int:application_id>/<str:action>/",
        views_staff.decider_action,
        name="decider_action",
    ),
    path(
        "transfer/review/<int:application_id>/items/<int:item_id>/",
        views_staff.decide,
        name="decide",
    ),
]
