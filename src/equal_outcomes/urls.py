from django.shortcuts import redirect
from django.urls import include, path

urlpatterns = [
    path("", lambda request: redirect("customers:search"), name="home"),
    path("accounts/", include("equal_outcomes.accounts.urls")),
    path("customers/", include("equal_outcomes.customers.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
