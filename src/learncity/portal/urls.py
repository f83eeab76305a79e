from django.contrib.auth import views as auth_views
from django.urls import path

from learncity.portal import views_learner, views_officer, views_staff

app_name = "portal"

urlpatterns = [
    path("", views_learner.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views_learner.register, name="register"),
    path("archive/", views_learner.my_archive, name="archive"),
    path("archive/report/", views_learner.report_outcome, name="report"),
    path("archive/delegates/", views_learner.delegates, name="delegates"),
    path("outcomes/<int:outcome_id>/", views_learner.outcome_detail, name="outcome"),
    path("learners/<str:learner_no>/", views_learner.learner_archive, name="learner_archive"),
    path("institution/", views_officer.officer_home, name="officer"),
    path("institution/deposit/", views_officer.deposit, name="deposit"),
    path("institution/upload/", views_officer.upload, name="upload"),
    path(
        "institution/imports/<int:batch_id>/rejected.csv",
        views_officer.rejected_rows,
        name="rejected_rows",
    ),
    path("institution/template.<str:fmt>", views_officer.template_file, name="template"),
    path("institution/api-keys/", views_officer.api_keys, name="api_keys"),
    path("review/", views_staff.queue, name="review_queue"),
    path("review/<int:outcome_id>/", views_staff.review, name="review"),
    path("audit/", views_staff.audit, name="audit"),
]
