from django.urls import path

from publikasi import views

app_name = "publikasi"
urlpatterns = [
    path("", views.dik, name="dik"),
    path("dasar-hukum/", views.dasar_hukum, name="dasar_hukum"),
    path("salinan-samaran/<int:pk>.pdf", views.salinan_pdf, name="salinan_pdf"),
    path("keputusan/", views.keputusan_list, name="keputusan_list"),
    path("keputusan/<slug:slug>/", views.keputusan_detail, name="keputusan_detail"),
    path("keputusan/<slug:slug>/naskah.pdf", views.keputusan_pdf, name="keputusan_pdf"),
    path("pengumuman/<slug:slug>.pdf", views.pengumuman_pdf, name="pengumuman_pdf"),
    path("data/", views.data, name="data"),
    path("data/dik.csv", views.dik_csv, name="dik_csv"),
    path("data/dik.json", views.dik_json, name="dik_json"),
    path("data/dik.xlsx", views.dik_xlsx, name="dik_xlsx"),
    path("feed/", views.feed, name="feed"),
    path("dik.pdf", views.dik_pdf, name="dik_pdf"),
]
