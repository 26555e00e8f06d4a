from django.urls import path

from impor import views

app_name = "impor"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("templat-dik.xlsx", views.templat, name="templat"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kolom/", views.kolom, name="kolom"),
    path("<int:pk>/impor/", views.jalankan, name="jalankan"),
]
