from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsulanConfig(AppConfig):
    name = "usulan"
    verbose_name = _("Proposals for a consequence test (usulan)")

    def ready(self):
        from publikasi.selectors import add_followers
        from usulan import services  # noqa: F401  (adds the lifecycle's guard on PROPOSE)
        from usulan.selectors import settled_pairs

        # the entries of a settled proposal follow its decree (publish, revoke)
        add_followers(settled_pairs)
