"""`{% signature_places sheets as places %}`: the places to sign at the foot of the approval sheet."""

from django import template

from persetujuan.sheet import signature_places as places_for

register = template.Library()


@register.simple_tag(takes_context=True)
def signature_places(context, sheets):
    profile = context.get("site_profile")
    places = places_for(sheets, ppid_officer=getattr(profile, "ppid_officer", "") or "")
    places[0].at = context.get("printed_at")  # the PPID signs the sheet the day it is printed
    return places
