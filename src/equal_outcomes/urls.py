from django.urls import include, path

from equal_outcomes.api.views import api
from equal_outcomes.start.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("equal_outcomes.accounts.urls")),
    path("customers/", include("equal_outcomes.customers.urls")),
    path("customers/", include("equal_outcomes.privacy.urls")),
    path("", include("equal_outcomes.collection.urls")),
    path("imports/", include("equal_outcomes.imports.urls")),
    path("sharing/", include("equal_outcomes.sharing.urls")),
    path("insight/", include("equal_outcomes.insight.urls")),
    path("assessment/", include("equal_outcomes.assessment.urls")),
    path("workforce/", include("equal_outcomes.workforce.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
