from django.urls import path, re_path

from governance.views import (
    cases,
    exports,
    open311,
    roster,
    structure,
)

app_name = "governance"

urlpatterns = [
    path("areas/", structure.area_list, name="area_list"),
    path("areas/<slug:slug>/", structure.area_detail, name="area_detail"),
    path("organizations/<int:pk>/", structure.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:pk>/history/",
        structure.organization_history,
        name="organization_history",
    ),
    path("organizations/<int:pk>/posts/new/", structure.post_create, name="post_create"),
    path("posts/<int:pk>/end/", structure.post_end, name="post_end"),
    path("people/", structure.person_list, name="person_list"),
    path("people/new/", structure.person_edit, name="person_create"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", structure.person_edit, name="person_update"),
    path("people/<int:pk>/history/", structure.person_history, name="person_history"),
]

urlpatterns += [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<str:number>/", cases.case_detail, name="case_detail"),
    path("cases/<str:number>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<str:number>/transition/", cases.case_transition, name="case_transition"),
    path("cases/<str:number>/parties/", cases.case_parties, name="case_parties"),
    path("cases/<str:number>/updates/", cases.case_update, name="case_update"),
    path(
        "cases/<str:number>/attachments/",
        cases.case_attachment_upload,
        name="case_attachment_upload",
    ),
    path("cases/<str:number>/attachments/<int:pk>/", cases.case_attachment, name="case_attachment"),
    path("cases/<str:number>/follow-up/", cases.case_follow_up, name="case_follow_up"),
    path("cases/<str:number>/due-date/", cases.case_due_date, name="case_due_date"),
]


urlpatterns += [
    path("cases/export.<str:fmt>", exports.case_export, name="case_export"),
    path("organizations/export.<str:fmt>", exports.organization_export, name="organization_export"),
    path("organizations/import/", roster.roster_import, name="roster_import"),
    path(
        "organizations/import/<int:pk>/",
        roster.roster_import_detail,
        name="roster_import_detail",
    ),
    path("organizations/import/template.<str:fmt>", roster.roster_template, name="roster_template"),
]

# Open311 GeoReport v2: every resource in JSON and XML, e.g. services.json, requests.xml.
FORMAT = r"\.(?P<fmt>json|xml)$"
urlpatterns += [
    path("open311/v2/", open311.root, name="open311_root"),
    re_path(r"^open311/v2/discovery" + FORMAT, open311.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + FORMAT, open311.service_list, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[-\w]+)" + FORMAT,
        open311.service_definition,
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, open311.request_list, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<number>[-\w]+)" + FORMAT,
        open311.request_detail,
        name="open311_request",
    ),
    re_path(r"^open311/v2/.+" + FORMAT, open311.not_found, name="open311_not_found"),
]
