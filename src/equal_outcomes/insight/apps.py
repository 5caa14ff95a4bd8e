from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "equal_outcomes.insight"
    label = "insight"
