from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "equal_outcomes.core"
    label = "core"
