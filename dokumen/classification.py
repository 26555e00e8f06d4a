"""What a classified entry must hold (SOP step 2), as field-level errors in the user's language."""

import datetime

from django.utils.translation import gettext as _

from dokumen.models import Conclusion, JenisJangkaWaktu

REQUIRED_TEXT = {
    "test_material": lambda: _("Describe the material, nature and scope of the information."),
    "test_harm": lambda: _("Describe the harm if the information were opened."),
    "test_law": lambda: _("State the law relied on."),
    "test_public_interest": lambda: _("Describe the public interest in opening it."),
    "test_weighing": lambda: _("Weigh the harm against the public interest."),
    "period_wording": lambda: _("Write the period exactly as it will be published."),
}


def classification_errors(values: dict, grounds) -> dict[str, list[str]]:
    """Errors that keep an entry from being classified; `values` are field values by name."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not values.get("document_type"):
        add("document_type", _("Choose the document type."))
    if not grounds:
        add("legal_grounds", _("Choose at least one legal ground from UU 14/2008 Article 17."))
    for field, message in REQUIRED_TEXT.items():
        if not (values.get(field) or "").strip():
            add(field, message())
    conclusion = values.get("test_conclusion")
    if not conclusion:
        add("test_conclusion", _("Choose the conclusion of the consequence test."))
    elif conclusion == Conclusion.OPEN:
        add(
            "test_conclusion",
            _(
                "The test concluded “open”: such information is not exempted and has no place in the DIK."
            ),
        )
    kind = values.get("period_kind")
    if not kind:
        add("period_kind", _("Choose the kind of period."))
    else:
        if kind.behaviour == JenisJangkaWaktu.Behaviour.FIXED_YEARS and not values.get(
            "period_years"
        ):
            add("period_years", _("A fixed period needs its number of years."))
        if kind.behaviour == JenisJangkaWaktu.Behaviour.UNLIMITED:
            permanent_not_allowed = [g for g in grounds if not g.may_be_unlimited]
            if permanent_not_allowed:
                add(
                    "period_kind",
                    _(
                        "An unlimited period is not allowed for %(grounds)s: exemptions under "
                        "Article 17 letters a–f are not permanent (UU 14/2008 Article 20(1))."
                    )
                    % {"grounds": ", ".join(g.citation for g in permanent_not_allowed)},
                )
    if not values.get("period_start"):
        add("period_start", _("Enter the date the period starts."))
    return errors


def period_end(kind, start: datetime.date | None, years: int | None) -> datetime.date | None:
    if (
        not kind
        or kind.behaviour != JenisJangkaWaktu.Behaviour.FIXED_YEARS
        or not start
        or not years
    ):
        return None
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year that has none
        return start.replace(year=start.year + years, day=28)
