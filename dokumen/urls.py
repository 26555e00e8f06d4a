from django.urls import path

from dokumen import berkas_views, export_views, samaran_views, tus, views

app_name = "meja"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("entri/", views.entri_list, name="entri_list"),
    path("entri/baru/", views.entri_create, name="entri_create"),
    path("entri/formulir.pdf", views.formulir_pdf, name="formulir_pdf"),
    path("entri/entri-dik.xlsx", export_views.entri_xlsx, name="entri_xlsx"),
    path("entri/<int:pk>/", views.entri_detail, name="entri_detail"),
    path("entri/<int:pk>/ubah/", views.entri_edit, name="entri_edit"),
    path("entri/<int:pk>/klasifikasi/", views.entri_classify, name="entri_classify"),
    path("entri/<int:pk>/kembalikan/", views.entri_return, name="entri_return"),
    path("entri/<int:pk>/tempat/", views.entri_place, name="entri_place"),
    path("entri/<int:pk>/formulir.pdf", views.entri_formulir_pdf, name="entri_formulir_pdf"),
    path("entri/<int:pk>/uji-konsekuensi.pdf", views.entri_uji_pdf, name="entri_uji_pdf"),
    path("entri/<int:pk>/berkas/", berkas_views.berkas_upload, name="berkas_upload"),
    # tus (resumable uploads): creation, then HEAD/PATCH/DELETE on the upload it made
    path("entri/<int:pk>/unggah/", tus.tus_create, name="tus_create"),
    path("entri/<int:pk>/unggah/<uuid:upload_id>/", tus.tus_upload, name="tus_upload"),
    path("entri/<int:pk>/salinan-samaran/", samaran_views.salinan_samaran, name="salinan_samaran"),
    path("berkas/<int:pk>/samarkan/", samaran_views.samarkan, name="samarkan"),
    path(
        "salinan-samaran/<int:pk>/setujui/",
        samaran_views.salinan_setujui,
        name="salinan_setujui",
    ),
    path("berkas/<int:pk>/hapus/", berkas_views.berkas_remove_view, name="berkas_remove"),
    path("entri/<int:pk>/log-akses/", berkas_views.entri_access_log, name="entri_access_log"),
]
