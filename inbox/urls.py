from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/preferences/", views.preferences, name="preferences"),
    path("inbox/read/", views.notification_read_all, name="read_all"),
    path("inbox/<int:pk>/", views.notification_open, name="open"),
    path("inbox/<int:pk>/read/", views.notification_read, name="read"),
]
