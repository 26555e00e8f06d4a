"""`{% field_label "test_harm" %}`: an entry field's label, the same as on the form;
`{% classification_labels as facts %}`: those of the classification, once for a list."""

from django import template

from dokumen import labels

register = template.Library()


@register.simple_tag
def field_label(name: str) -> str:
    return labels.field_label(name)


@register.simple_tag
def classification_labels() -> dict[str, str]:
    return labels.classification_labels()
