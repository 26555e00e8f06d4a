from django.urls import path

from dokumen import views

app_name = "meja"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("entri/<int:pk>/", views.entri_detail, name="entri_detail"),
]
