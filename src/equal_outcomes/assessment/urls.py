from django.urls import path

from equal_outcomes.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/refresh/", views.refresh, name="refresh"),
    path("<uuid:public_id>/report/", views.report, name="report"),
    path("<uuid:public_id>/areas/<slug:area_id>/", views.area, name="area"),
    path("<uuid:public_id>/questions/<slug:question_id>/", views.question, name="question"),
    path("<uuid:public_id>/criteria/<str:number>/", views.criterion, name="criterion"),
    path("<uuid:public_id>/files/<int:file_id>/", views.evidence_file, name="file"),
    path("toolkits/<slug:toolkit_id>/", views.toolkit_page, name="toolkit"),
    path("toolkits/<slug:toolkit_id>/<str:sub_id>/", views.sub_outcome, name="sub_outcome"),
    path("toolkits/<slug:toolkit_id>/<str:sub_id>/story/", views.story, name="story"),
    path("toolkits/<slug:toolkit_id>/<str:sub_id>/people/", views.people_evidence, name="people"),
    path("risks/<int:pk>/", views.risk, name="risk"),
    path("actions/", views.actions, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_edit, name="action"),
    path("objectives/", views.objectives, name="objectives"),
    path("objectives/<int:pk>/", views.objective, name="objective"),
    path("policies/", views.policies, name="policies"),
    path("policies/<int:pk>/", views.policy, name="policy"),
    path("policies/<int:pk>/impact/", views.impact_new, name="impact_new"),
]
