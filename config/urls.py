from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Đánh giá, xếp hạng mức độ ứng dụng CNTT"
admin.site.site_title = "Quản trị hệ thống đánh giá ứng dụng CNTT"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="criteria:list", permanent=False)),
    path("quan-tri/", admin.site.urls),
    path("tieu-chi/", include("criteria.urls")),
]
