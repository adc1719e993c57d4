from django.urls import path

from brands import views

app_name = "brands"

urlpatterns = [
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/<slug:slug>/", views.brand_detail, name="brand_detail"),
    path(
        "brands/<slug:slug>/activities/",
        views.brand_activity_create,
        name="brand_activity_create",
    ),
    path(
        "brands/<slug:slug>/activities/<int:pk>/delete/",
        views.brand_activity_delete,
        name="brand_activity_delete",
    ),
    path(
        "brands/<slug:slug>/activities/<int:pk>/photo/",
        views.brand_activity_photo,
        name="brand_activity_photo",
    ),
]
