from django.urls import path

from equal_outcomes.collection import views

app_name = "collection"
urlpatterns = [
    path("<uuid:public_id>/profile/", views.capture_profile, name="profile"),
]
