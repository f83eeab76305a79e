from django.urls import path

from learncity.catalogue import views_admin, views_learner, views_provider, views_public

app_name = "catalogue"

urlpatterns = [
    path("", views_public.catalogue_search, name="search"),
    path("courses/<int:course_id>/", views_public.course_detail, name="course"),
    path("sites/<int:site_id>/", views_public.site_detail, name="site"),
    path("near/", views_public.near_me, name="near"),
    path("events/", views_public.events, name="events"),
    path("quality/<str:code>/", views_public.provider_quality, name="quality"),
    path("awards/", views_public.awards, name="awards"),
    path("mine/", views_learner.mine, name="mine"),
    path("sessions/<int:session_id>/enrol/", views_learner.enrol, name="enrol"),
    path("enrolments/<int:enrolment_id>/cancel/", views_learner.cancel, name="cancel"),
    path("enrolments/<int:enrolment_id>/rate/", views_learner.rate, name="rate"),
    path("teams/", views_learner.teams, name="teams"),
    path("teams/<int:team_id>/", views_learner.team, name="team"),
    path("organisations/<int:org_id>/", views_learner.organisation, name="organisation"),
    path("provider/", views_provider.dashboard, name="provider"),
    path("provider/courses/new/", views_provider.course_form, name="course_new"),
    path("provider/courses/<int:course_id>/", views_provider.course_form, name="course_edit"),
    path(
        "provider/courses/<int:course_id>/sessions/new/",
        views_provider.session_form,
        name="session_new",
    ),
    path("provider/sites/new/", views_provider.site_form, name="site_new"),
    path("provider/sites/<int:site_id>/", views_provider.site_form, name="site_edit"),
    path("provider/import/", views_provider.import_file, name="import"),
    path("provider/template-<str:kind>.csv", views_provider.template_file, name="template"),
    path("provider/sessions/<int:session_id>/", views_provider.roster, name="roster"),
    path("moderation/", views_admin.moderation, name="moderation"),
    path("distribution/", views_admin.distribution, name="distribution"),
]
