"""The participation stage's public URLs, included by ``mentoring_cms.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path("personal/link/", views.request_link, name="personal_link_request"),
    path("personal/<str:token>/", views.personal_page, name="personal_page"),
    path("personal/<str:token>/withdraw/", views.withdraw, name="personal_withdraw"),
    path(
        "personal/<str:token>/absence/",
        views.report_absence,
        name="personal_absence",
    ),
    path("personal/<str:token>/meetings/", views.log_meeting, name="personal_meeting"),
    path("personal/<str:token>/revoke/", views.revoke, name="personal_revoke"),
    path(
        "personal/<str:token>/my-data.json",
        views.download_data,
        name="personal_data",
    ),
    path(
        "calendar/personal/<str:token>.ics",
        views.personal_feed,
        name="personal_calendar",
    ),
    path(
        "calendar/<uuid:round_key>/<str:language>/<str:audience>.ics",
        views.round_feed,
        name="round_calendar",
    ),
]
