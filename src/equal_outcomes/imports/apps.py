from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "equal_outcomes.imports"
    label = "imports"
