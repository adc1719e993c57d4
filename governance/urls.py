from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_update"),
]
