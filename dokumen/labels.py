"""The one wording of an entry's fields wherever they are shown: form, entry page, queue, prints.

Each label is the model field's verbose name; the six parts of the consequence test carry the
letter PKPU 22/2023 Article 25(3) gives them (a–f)."""

from django.utils.text import capfirst
from django.utils.translation import gettext

from dokumen.models import Entri

# the six parts of the consequence test, lettered as PKPU 22/2023 Article 25(3) letters them
TEST_PARTS = {
    "test_material": "a",
    "test_harm": "b",
    "test_law": "c",
    "test_public_interest": "d",
    "test_weighing": "e",
    "test_conclusion": "f",
}


def field_label(name: str) -> str:
    """The label of an entry field in the active language, e.g. "b. Potensi konsekuensi …"."""
    label = capfirst(Entri._meta.get_field(name).verbose_name)
    if name in TEST_PARTS:
        return f"{TEST_PARTS[name]}. {label}"
    return label


def classification_labels() -> dict[str, str]:
    """The labels of an entry's classification as the approval pages show it
    (persetujuan/_klasifikasi.html), in the active language: made once for a page of entries,
    not again in each row."""
    return {
        "document_type": gettext("Document type"),
        "legal_ground": gettext("Legal ground"),
        "period": gettext("Period"),
        "years": gettext("years"),
        **{
            name: field_label(name)
            for name in (
                "other_law",
                "test_harm",
                "test_public_interest",
                "test_weighing",
                "test_conclusion",
            )
        },
    }
