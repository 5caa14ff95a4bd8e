from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "equal_outcomes.audit"
    label = "audit"
