"""Render domain errors raised in portal views as a page in the user's language."""

from __future__ import annotations

from django.shortcuts import render

from learncity.errors import LearnCityError, NotAuthenticated


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") or not isinstance(exception, LearnCityError):
            return None
        if isinstance(exception, NotAuthenticated):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "portal/error.html",
            {"error": exception, "status": exception.status},
            status=exception.status,
        )
