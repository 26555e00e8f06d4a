from django.contrib import admin
from django.urls import include, path, register_converter

from ppid import views
from publikasi import office_views
from publikasi.office_views import KantorConverter

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

# an office's own public pages (`/kab-pinrang/`) and the national page; last, so no office
# address hides a page of the site
register_converter(KantorConverter, "kantor")
urlpatterns += [
    path("nasional/", office_views.nasional, name="nasional"),
    path("<kantor:kantor>/", office_views.kantor_dik, name="kantor_dik"),
    path("<kantor:kantor>/keputusan/", office_views.kantor_keputusan, name="kantor_keputusan"),
    path("<kantor:kantor>/data/dik.csv", office_views.kantor_csv, name="kantor_csv"),
    path("<kantor:kantor>/data/dik.json", office_views.kantor_json, name="kantor_json"),
    path("<kantor:kantor>/data/dik.xlsx", office_views.kantor_xlsx, name="kantor_xlsx"),
    path("<kantor:kantor>/dik.pdf", office_views.kantor_dik_pdf, name="kantor_dik_pdf"),
    path("<kantor:kantor>/logo", office_views.kantor_logo, name="kantor_logo"),
    path("<kantor:kantor>/feed/", office_views.kantor_feed, name="kantor_feed"),
]
