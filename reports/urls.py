from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("ky-danh-gia/<int:pk>/ket-qua/", views.results, name="results"),
    path("ky-danh-gia/<int:pk>/tong-hop/", views.dashboard, name="dashboard"),
    path("ky-danh-gia/<int:pk>/cong-bo/", views.publish_view, name="publish"),
    path("ky-danh-gia/<int:pk>/cong-bo/trang-1.png", views.publish_preview, name="publish_preview"),
    path("ky-danh-gia/<int:pk>/gia-dinh/", views.whatif, name="whatif"),
    path("phieu/<int:assessment_pk>/nhan-xet/", views.remarks, name="remarks"),
    path("phieu/<int:assessment_pk>/ket-qua.pdf", views.unit_sheet, name="unit_sheet"),
    path("cong-bo/<int:pk>/", views.publication, name="publication"),
    path("cong-bo/<int:pk>/phu-luc.pdf", views.download, {"kind": "pdf"}, name="pdf"),
    path("cong-bo/<int:pk>/phu-luc.xlsx", views.download, {"kind": "xlsx"}, name="xlsx"),
    path("cong-bo/<int:pk>/phu-luc-da-ky.pdf", views.download, {"kind": "signed"}, name="signed"),
    path("cong-bo/<int:pk>/tai-ban-ky/", views.upload_signed, name="upload_signed"),
    path("cong-bo/<int:pk>/ky-so/", views.seal, name="seal"),
    path("xac-minh/", views.verify, name="verify"),
    path("tieu-chi/<slug:code>/v<int:version>/anh-huong/", views.impact, name="impact"),
    path("don-vi/<str:code>/", views.unit_results, name="unit"),
    path("don-vi/<str:code>/ket-qua.xlsx", views.unit_results_xlsx, name="unit_xlsx"),
]
