from django.urls import path

from dokumen import berkas_views, views

app_name = "meja"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("entri/<int:pk>/", views.entri_detail, name="entri_detail"),
    path("entri/<int:pk>/berkas/", berkas_views.berkas_upload, name="berkas_upload"),
    path("berkas/<int:pk>/hapus/", berkas_views.berkas_remove_view, name="berkas_remove"),
    path("entri/<int:pk>/log-akses/", berkas_views.entri_access_log, name="entri_access_log"),
]
