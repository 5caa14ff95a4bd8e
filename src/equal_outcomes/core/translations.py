"""Strings shown by third-party templates (crispy-forms-gds) that Equal Outcomes translates.

Listed here so ``makemessages`` keeps them in the Welsh catalogue.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = [
    gettext_noop("There is a problem"),
    gettext_noop("Error"),
    gettext_noop("Optional"),
]
