from django.urls import path

from . import editing, views

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_set_list, name="list"),
    path("nhap-bang/", views.import_table_view, name="import"),
    path("<slug:code>/v<int:version>/", views.criteria_set_detail, name="detail"),
    path("<slug:code>/v<int:version>/yaml/", views.criteria_set_yaml, name="yaml"),
    path("<slug:code>/v<int:version>/sua/", editing.edit, name="edit"),
    path("<slug:code>/v<int:version>/sua/kiem-tra/", editing.check, name="edit_check"),
]
