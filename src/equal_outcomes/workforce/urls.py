from django.urls import path

from equal_outcomes.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("records/", views.records, name="records"),
    path("staff/<str:reference>/", views.staff_member, name="staff"),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
]
