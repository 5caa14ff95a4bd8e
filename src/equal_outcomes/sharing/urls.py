from django.urls import path

from equal_outcomes.sharing import views

app_name = "sharing"
urlpatterns = [
    path("export/customers/", views.export_customers, name="export_customers"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("job-packs/", views.job_packs, name="job_packs"),
    path("job-packs/<str:property_ref>/", views.job_pack, name="job_pack"),
    path("job-packs/<str:property_ref>/report/", views.report_back, name="report_back"),
    path("jobs/", views.jobs_page, name="jobs"),
    path("jobs/<uuid:public_id>/close/", views.job_close, name="job_close"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_decide, name="report_decide"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<uuid:public_id>/", views.referral, name="referral"),
]
