from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "equal_outcomes.customers"
    label = "customers"
