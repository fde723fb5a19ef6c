from django.urls import path

from orglife.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/totp/", views.totp_view, name="totp"),
    path("totp/setup/", views.totp_setup_view, name="totp_setup"),
    path("logout/", views.logout_view, name="logout"),
]
