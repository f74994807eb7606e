from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("da-doc/", views.mark_read, name="mark_read"),
    path("tuy-chon/", views.preferences, name="preferences"),
    path("<int:pk>/", views.open_notice, name="open"),
]
