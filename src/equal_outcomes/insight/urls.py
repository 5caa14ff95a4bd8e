from django.urls import path

from equal_outcomes.insight import views

app_name = "insight"
urlpatterns = [
    path("customers/", views.knowing, name="knowing"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path(
        "outcomes/<str:indicator>/<str:characteristic>/",
        views.outcome_detail,
        name="outcome_detail",
    ),
    path("services/", views.services, name="services"),
    path("contractors/", views.contractors, name="contractors"),
    path("services/<slug:service>/", views.service, name="service"),
    path("who-we-serve/", views.serve, name="serve"),
    path("population/", views.population_upload, name="population"),
    path("reports/", views.report_page, name="reports"),
    path("reports/<uuid:public_id>/", views.report_job, name="report_job"),
    path("reports/<uuid:public_id>/download/", views.report_download, name="report_download"),
]
