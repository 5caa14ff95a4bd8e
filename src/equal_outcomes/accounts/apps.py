from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "equal_outcomes.accounts"
    label = "accounts"
