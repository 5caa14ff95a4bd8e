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
    path("who-we-serve/", views.serve, name="serve"),
]
