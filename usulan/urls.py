from django.urls import path

from usulan import views

app_name = "usulan"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("baru/", views.baru, name="baru"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/lampiran/<int:lampiran_pk>/", views.lampiran, name="lampiran"),
    path("<int:pk>/surat/", views.surat, name="surat"),
    path("<int:pk>/<slug:aksi>/", views.aksi, name="aksi"),
]
