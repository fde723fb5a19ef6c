"""Meeting pages: list, plan and the recording flow (issue 3)."""

from django.urls import path

from orglife.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("plan/", views.meeting_plan, name="meeting_plan"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/guests/", views.meeting_guest, name="meeting_guest"),
    path("<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("<int:pk>/resolutions/", views.meeting_resolution, name="meeting_resolution"),
    path("<int:pk>/votes/", views.meeting_vote, name="meeting_vote"),
    path("<int:pk>/election/", views.meeting_election, name="meeting_election"),
    path("<int:pk>/finalize/", views.meeting_finalize, name="meeting_finalize"),
    path("<int:pk>/amend/", views.meeting_amend, name="meeting_amend"),
    path("<int:pk>/history/", views.meeting_history, name="meeting_history"),
    path("follow-ups/<int:pk>/", views.followup_update, name="followup_update"),
]
