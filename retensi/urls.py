from django.urls import path

from retensi import views

app_name = "retensi"
urlpatterns = [
    path("", views.index, name="index"),
    path("entri/<int:pk>/", views.entri, name="entri"),
    path("entri/<int:pk>/atur/", views.atur, name="atur"),
    path("entri/<int:pk>/tahan/", views.tahan, name="tahan"),
    path("entri/<int:pk>/tahan/<int:hold_pk>/lepas/", views.lepas, name="lepas"),
    path("entri/<int:pk>/musnah/", views.usul_musnah, name="usul_musnah"),
    path("entri/<int:pk>/musnah/<int:pemusnahan_pk>/putuskan/", views.putuskan, name="putuskan"),
    path(
        "entri/<int:pk>/musnah/<int:pemusnahan_pk>/laksanakan/",
        views.laksanakan,
        name="laksanakan",
    ),
]
