from django.urls import path

from publikasi import staff_views as views

app_name = "publikasi_staf"
urlpatterns = [
    path("", views.index, name="index"),
    path("keputusan/baru/", views.create, name="create"),
    path("keputusan/<int:pk>/", views.detail, name="detail"),
    path("keputusan/<int:pk>/ubah/", views.edit, name="edit"),
    path("keputusan/<int:pk>/terbitkan/", views.publish, name="publish"),
    path("keputusan/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("keputusan/<int:pk>/saluran/", views.channel_add, name="channel_add"),
    path("keputusan/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("keputusan/<int:pk>/informasi/", views.item_add, name="item_add"),
    path("keputusan/<int:pk>/jangkauan/", views.reach, name="reach"),
    path("menjangkau/<int:pk>/", views.reaching_detail, name="menjangkau"),
    path("informasi/<int:pk>/tautkan/", views.item_link, name="item_link"),
]
