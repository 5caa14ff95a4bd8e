from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "equal_outcomes.workforce"
    label = "workforce"
