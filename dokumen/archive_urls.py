from django.urls import path

from dokumen import archive_views as views

app_name = "arsip"
urlpatterns = [
    path("", views.index, name="index"),
    path("ordner/<int:pk>/", views.ordner, name="ordner"),
    path("ordner/<int:pk>/label.pdf", views.label, name="label"),
    path("ordner/<int:pk>/isi.pdf", views.contents, name="isi"),
    path("entri/<int:pk>/arsipkan/", views.archive, name="arsipkan"),
]
