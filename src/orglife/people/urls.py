from django.urls import path

from orglife.people import views, views_roster

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    # Roster import and export (issue item 7).
    path("import/", views_roster.roster_import_view, name="roster_import"),
    path("export/", views_roster.roster_export_view, name="roster_export"),
]
