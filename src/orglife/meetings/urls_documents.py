"""Routes for meeting outputs (minutes, verification, iCal feeds, ledger), under /meetings/."""

from django.urls import path

from orglife.meetings import views_documents as views

app_name = "meeting_documents"

urlpatterns = [
    path("<int:pk>/minutes.<str:file_format>", views.minutes_download, name="minutes"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("ical/", views.feeds, name="feeds"),
    path("ical/branch/<str:code>.ics", views.branch_feed, name="branch_feed"),
    path("ical/member/<str:token>.ics", views.member_feed, name="member_feed"),
    path("ledger/<str:code>/<int:year>.xlsx", views.ledger_download, name="ledger"),
]
