from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/xac-thuc/", views.two_factor_verify, name="two_factor_verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-nhap/quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("dang-nhap/quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dang-nhap/dat-lai/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("dang-nhap/dat-lai/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.two_factor_setup, name="two_factor_setup"),
    path("tai-khoan/xac-thuc-hai-buoc/ma-du-phong/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", views.two_factor_disable, name="two_factor_disable"),
]
