from django.urls import path

from equal_outcomes.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:public_id>/", views.record, name="record"),
    path("<uuid:public_id>/access-log/", views.access_log, name="access_log"),
]
