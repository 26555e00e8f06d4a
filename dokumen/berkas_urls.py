"""The only URLs that serve a private file; each one goes through files_visible_to."""

from django.urls import path

from dokumen import berkas_views

app_name = "berkas"
urlpatterns = [
    path("<int:pk>/", berkas_views.berkas_preview, name="pratinjau"),
    path("<int:pk>/unduh", berkas_views.berkas_download, name="unduh"),
    path("<int:pk>/lihat", berkas_views.berkas_view, name="lihat"),
    path("<int:pk>/gambar-kecil", berkas_views.berkas_thumbnail, name="gambar_kecil"),
]
