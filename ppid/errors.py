class ActionRefused(Exception):
    """A state change the rules do not allow; the message is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def without_ids(field) -> None:
    """A choice no longer on the list (a stale page, a removed binder) is refused in words, never
    with Django's "17 is not one of the available choices" that shows an internal id."""
    from django.utils.translation import gettext_lazy as _

    message = _(
        "This choice is no longer available (it may have been changed or removed). Reload the page and choose from the list."
    )
    for key in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        field.error_messages[key] = message
