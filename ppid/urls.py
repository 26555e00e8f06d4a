from django.contrib import admin
from django.urls import include, path

from ppid import views

urlpatterns = [
    path("", include("publikasi.urls")),
    path("akun/", include("ppid.auth_urls")),
    path("meja/arsip/", include("dokumen.archive_urls")),
    path("meja/surel-gagal/", views.surel_gagal, name="surel_gagal"),
    path("meja/surel-gagal/kirim-ulang", views.surel_kirim_ulang, name="surel_kirim_ulang"),
    path("meja/", include("dokumen.urls")),
    path("publikasi/", include("publikasi.staff_urls")),
    path("persetujuan/", include("persetujuan.urls")),
    path("usulan/", include("usulan.urls")),
    path("berkas/", include("dokumen.berkas_urls")),
    path("admin/", admin.site.urls),
    path("logo", views.logo, name="logo"),
]
