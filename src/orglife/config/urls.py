"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from orglife.accounts.views import admin_login_redirect
from orglife.accounts.views_home import home

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("orglife.api.urls")),
    path("", home, name="home"),
    path("accounts/", include("orglife.accounts.urls")),
    path("orgs/", include("orglife.orgs.urls")),
    path("people/", include("orglife.people.urls")),
    path("meetings/", include("orglife.meetings.urls")),
    # Outputs of meeting records: minutes, verification, iCal feeds, ledger (issue 3 item 8).
    path("meetings/", include("orglife.meetings.urls_documents")),
    path("audit/", include("orglife.audit.urls")),
    # The admin's own login would bypass the lockout, the login log and the
    # second factor: send it to orglife's login instead.
    path("admin/login/", admin_login_redirect),
    path("admin/", admin.site.urls),
]
