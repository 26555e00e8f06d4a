from django.urls import path

from persetujuan import views

app_name = "persetujuan"
urlpatterns = [
    path("", views.antrean, name="antrean"),
]
