"""`{% field_label "test_harm" %}`: an entry field's label, the same as on the form."""

from django import template

from dokumen import labels

register = template.Library()


@register.simple_tag
def field_label(name: str) -> str:
    return labels.field_label(name)
