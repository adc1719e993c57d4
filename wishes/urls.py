from django.urls import path

from wishes import views

app_name = "wishes"

urlpatterns = [
    path("areas/<slug:slug>/wishes/", views.wish_wall, name="area_wish_wall"),
    path("wishes/", views.wish_wall, name="wish_wall"),
    path("wishes/manage/", views.wish_manage_list, name="wish_manage_list"),
    path("wishes/manage/export.<str:fmt>", views.wish_export, name="wish_export"),
    path("wishes/claim/", views.wish_claim_list, name="wish_claim_list"),
    path("wishes/new/", views.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/manage/", views.wish_manage_detail, name="wish_manage_detail"),
    path("wishes/<int:pk>/edit/", views.wish_edit, name="wish_edit"),
    path("wishes/<int:pk>/publish/", views.wish_publish, name="wish_publish"),
    path("wishes/<int:pk>/claim/", views.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", views.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:pk>/thank/", views.wish_thank, name="wish_thank"),
    path("wishes/<int:pk>/withdraw/", views.wish_withdraw, name="wish_withdraw"),
    path("wishes/<int:pk>/photo/", views.wish_photo, name="wish_photo"),
]
