from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "equal_outcomes.assessment"
    label = "assessment"
