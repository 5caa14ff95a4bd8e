from django.urls import path

from equal_outcomes.privacy import views

app_name = "privacy"
urlpatterns = [
    path("emergency-access/", views.emergency_access, name="emergency_access"),
    path("<uuid:public_id>/correct/", views.correct, name="correct"),
    path("<uuid:public_id>/objection/", views.objection, name="objection"),
    path("<uuid:public_id>/restricted/", views.restricted, name="restricted"),
    path("<uuid:public_id>/subject-access/", views.subject_access, name="subject_access"),
    path("<uuid:public_id>/erase/", views.erase, name="erase"),
]
