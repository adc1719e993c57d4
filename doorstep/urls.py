from django.urls import path

from doorstep import views

app_name = "doorstep"

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/manage/", views.manage, name="manage"),
    path("services/new/", views.service_edit, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", views.service_delete, name="service_delete"),
    path("stations/new/", views.station_edit, name="station_create"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("areas/<slug:slug>/services/print/", views.area_print, name="area_print"),
]
