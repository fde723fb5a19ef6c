"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("orglife.api.urls")),
    path("", RedirectView.as_view(pattern_name="orgs:org_tree", permanent=False)),
    path("accounts/", include("orglife.accounts.urls")),
    path("orgs/", include("orglife.orgs.urls")),
    path("people/", include("orglife.people.urls")),
    path("audit/", include("orglife.audit.urls")),
    path("admin/", admin.site.urls),
]
