from django.urls import path

from dokumen import views

app_name = "meja"
urlpatterns = [
    path("", views.beranda, name="beranda"),
]
