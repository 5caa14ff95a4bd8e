from django.urls import path

from equal_outcomes.collection import views

app_name = "collection"
urlpatterns = [
    path("<uuid:public_id>/profile/", views.capture_profile, name="profile"),
    path("<uuid:public_id>/support-need/", views.support_need, name="support_need"),
    path(
        "<uuid:public_id>/communication-need/", views.communication_need, name="communication_need"
    ),
]
