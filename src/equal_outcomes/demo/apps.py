from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "equal_outcomes.demo"
    label = "demo"
