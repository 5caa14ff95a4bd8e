from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "equal_outcomes.sharing"
    label = "sharing"
