"""The evaluation's public URL, included by ``mentoring_cms.urls`` beside
the personal page's (``participation.urls``)."""

from django.urls import path

from . import evaluation_views

urlpatterns = [
    path(
        "personal/<str:token>/evaluation/",
        evaluation_views.evaluation,
        name="personal_evaluation",
    ),
]
