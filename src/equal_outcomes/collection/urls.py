from django.urls import path

from equal_outcomes.collection import views
from equal_outcomes.collection import views_questionnaire as questionnaire

app_name = "collection"
urlpatterns = [
    path("collection/<uuid:public_id>/profile/", views.capture_profile, name="profile"),
    path("collection/<uuid:public_id>/support-need/", views.support_need, name="support_need"),
    path(
        "collection/<uuid:public_id>/communication-need/",
        views.communication_need,
        name="communication_need",
    ),
    path("collection/<uuid:public_id>/adjustment/", views.adjustment, name="adjustment"),
    path("collection/<uuid:public_id>/invite/", questionnaire.invite, name="invite"),
    path("collection/ask-next/", views.ask_next, name="ask_next"),
    path("questionnaire/", questionnaire.overview, name="questionnaire"),
    path("questionnaire/start/<str:token>/", questionnaire.start, name="questionnaire_start"),
    path("questionnaire/code/", questionnaire.letter_code, name="questionnaire_code"),
    path(
        "questionnaire/question/<slug:question_id>/",
        questionnaire.question,
        name="questionnaire_question",
    ),
    path("questionnaire/check/", questionnaire.check, name="questionnaire_check"),
]
