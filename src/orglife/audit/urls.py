from django.urls import path

from orglife.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_event_list, name="audit_event_list"),
]
