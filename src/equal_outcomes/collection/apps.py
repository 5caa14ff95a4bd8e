from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "equal_outcomes.collection"
    label = "collection"
