from django.urls import path

from publikasi import views

app_name = "publikasi"
urlpatterns = [
    path("", views.dik, name="dik"),
]
