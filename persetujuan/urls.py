from django.urls import path

from persetujuan import views

app_name = "persetujuan"
urlpatterns = [
    path("", views.antrean, name="antrean"),
    path("ajukan/", views.ajukan, name="ajukan"),
    path("entri/<int:pk>/ajukan/", views.ajukan_entri, name="ajukan_entri"),
    path("entri/<int:pk>/tarik/", views.tarik, name="tarik"),
    path("entri/<int:pk>/setujui/", views.setujui, name="setujui"),
    path("entri/<int:pk>/kembalikan/", views.kembalikan, name="kembalikan"),
    path("entri/<int:pk>/lembar.pdf", views.lembar_pdf, name="lembar_pdf"),
    path("lembar/", views.lembar_batch_pdf, name="lembar_batch_pdf"),
]
