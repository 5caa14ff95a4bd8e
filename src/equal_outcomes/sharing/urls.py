from django.urls import path

from equal_outcomes.sharing import views

app_name = "sharing"
urlpatterns = [
    path("export/customers/", views.export_customers, name="export_customers"),
]
