from django.contrib import admin
from django.urls import include, path

from assessment import views as assessment_views
from config.observability import healthz

admin.site.site_header = "Đánh giá, xếp hạng mức độ ứng dụng CNTT"
admin.site.site_title = "Quản trị hệ thống đánh giá ứng dụng CNTT"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("", include("accounts.urls")),
    path("quan-tri/", admin.site.urls),
    path("tieu-chi/", include("criteria.urls")),
    path("", include("assessment.urls")),
    path("", include("reports.urls")),
    path("healthz", healthz, name="healthz"),
    path("cong-viec/", include("jobs.urls")),
    path("thong-bao/", include("notifications.urls")),
]
