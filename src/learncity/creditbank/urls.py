from django.urls import path

from learncity.creditbank import views

app_name = "creditbank"

urlpatterns = [
    path("credits/", views.my_credits, name="credits"),
    path("learners/<str:learner_no>/credits/", views.my_credits, name="learner_credits"),
    path("credits/appeal/<int:recognition_id>/", views.appeal_view, name="appeal"),
    path("review/recognitions/", views.queue, name="queue"),
    path("review/recognitions/<int:recognition_id>/", views.decide, name="decide"),
    path("audit/ledger/", views.verify, name="verify"),
]
