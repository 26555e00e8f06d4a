from django.urls import path

from dokumen import archive_views as views

app_name = "arsip"
urlpatterns = [
    path("", views.index, name="index"),
    path("ordner/<int:pk>/", views.ordner, name="ordner"),
    path("ordner/<int:pk>/label.pdf", views.label, name="label"),
    path("ordner/<int:pk>/isi.pdf", views.contents, name="isi"),
    path("entri/<int:pk>/arsipkan/", views.archive, name="arsipkan"),
    path("tempat/baru/", views.place_new, name="tempat_baru"),
    path("tempat/<int:pk>/", views.place_detail, name="tempat"),
    path("tempat/<int:pk>/ubah/", views.place_edit, name="tempat_ubah"),
    path("tempat/<int:pk>/pensiunkan/", views.place_retire, name="tempat_pensiun"),
    path("format-nomor/", views.number_format, name="format_nomor"),
]
