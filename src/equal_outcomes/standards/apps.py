from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "equal_outcomes.standards"
    label = "standards"
