from django.urls import path

from orglife.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="person_list"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
]
