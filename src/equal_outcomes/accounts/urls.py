from django.urls import path

from equal_outcomes.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("reset/", views.ResetRequestView.as_view(), name="reset"),
    path("reset/sent/", views.reset_sent, name="reset_sent"),
    path("users/", views.users_page, name="users"),
    path("settings/", views.organisation_page, name="organisation"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_page, name="user"),
]
