from django.urls import path

from equal_outcomes.imports import views

app_name = "imports"
urlpatterns = [
    path("customers/", views.import_customers_page, name="customers"),
    path("places/", views.import_places_page, name="places"),
    path("jobs/<uuid:public_id>/", views.job, name="job"),
]
