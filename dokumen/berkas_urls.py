"""The only URLs that serve a private file; each one goes through files_visible_to.

They answer a visitor who is not logged in too, with the same 404 as for a file that does not
exist (files_visible_to is empty for them): a copied link gives away nothing, not even that the
file exists or that logging in would open it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from dokumen import berkas_views, samaran_views

app_name = "berkas"
urlpatterns = [
    path("<int:pk>/", login_not_required(berkas_views.berkas_preview), name="pratinjau"),
    path("<int:pk>/unduh", login_not_required(berkas_views.berkas_download), name="unduh"),
    path("<int:pk>/lihat", login_not_required(berkas_views.berkas_view), name="lihat"),
    path(
        "<int:pk>/gambar-kecil",
        login_not_required(berkas_views.berkas_thumbnail),
        name="gambar_kecil",
    ),
    path(
        "<int:pk>/halaman/<int:page>.png",
        login_not_required(samaran_views.berkas_page),
        name="halaman",
    ),
    path(
        "salinan-samaran/<int:pk>/",
        login_not_required(samaran_views.salinan_view),
        name="salinan_lihat",
    ),
]
