from django.urls import path

from . import indicator_views, periods, queues, views

app_name = "assessment"
urlpatterns = [
    path("ky-danh-gia/<int:pk>/", views.period_detail, name="period"),
    path("ky-danh-gia/<int:pk>/tien-do/", queues.period_progress, name="progress"),
    path("phieu-cua-toi/", queues.my_forms, name="my_forms"),
    path("ky-danh-gia/<int:pk>/tao-ky-moi/", periods.carry_forward, name="carry_forward"),
    path("ky-danh-gia/<int:pk>/phan-cong/", periods.assignments, name="assignments"),
    path("ky-danh-gia/<int:pk>/mo-ky/", periods.open_period, name="open_period"),
    path("ky-danh-gia/<int:pk>/phe-duyet/", views.approve_many, name="approve_many"),
    path("ky-danh-gia/<int:pk>/nhap-so-lieu/", views.bulk_answers, name="bulk"),
    path("phieu/<int:pk>/", views.form_view, name="form"),
    path("phieu/<int:pk>/tinh-diem/", views.form_preview, name="preview"),
    path("phieu/<int:pk>/tham-dinh/", views.review, name="review"),
    path("phieu/<int:pk>/phe-duyet/", views.decide, {"verb": "phe-duyet"}, name="approve"),
    path("phieu/<int:pk>/huy-phe-duyet/", views.decide, {"verb": "huy-phe-duyet"}, name="unapprove"),
    path("phieu/<int:pk>/mo-lai/", views.decide, {"verb": "mo-lai"}, name="reopen"),
    path("phieu/<int:pk>/tep/", views.upload, name="upload"),
    path("phieu/<int:pk>/y-kien/", views.comment, name="comment"),
    path("phieu/<int:pk>/lich-su/", views.history, name="history"),
    path("phieu/<int:pk>/excel/", views.offline_download, name="offline"),
    path("phieu/<int:pk>/excel/tai-len/", views.offline_upload, name="offline_upload"),
    path("tep/<int:file_pk>/", views.download, name="download"),
    path("tep/<int:file_pk>/go/", views.remove, name="remove"),
    path("chi-so-tu-dong/", indicator_views.indicators, name="indicators"),
]
