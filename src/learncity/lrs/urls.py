"""The xAPI resources under /xapi/ (a trailing slash is accepted too)."""

from django.urls import re_path

from learncity.lrs import views_documents, views_misc, views_statements

app_name = "lrs"

urlpatterns = [
    re_path(r"^statements/?$", views_statements.statements, name="statements"),
    re_path(r"^activities/state/?$", views_documents.state, name="state"),
    re_path(r"^activities/profile/?$", views_documents.activity_profile, name="activity_profile"),
    re_path(r"^activities/?$", views_misc.activities, name="activities"),
    re_path(r"^agents/profile/?$", views_documents.agent_profile, name="agent_profile"),
    re_path(r"^agents/?$", views_misc.agents, name="agents"),
    re_path(r"^about/?$", views_misc.about, name="about"),
]
