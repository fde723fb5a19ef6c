from django.urls import path

from orglife.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
    path("<int:pk>/children/", views.org_children_view, name="org_children"),
]
