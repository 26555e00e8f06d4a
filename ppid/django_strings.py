"""Strings of Django itself that its Indonesian catalogue lacks, marked here so that
makemessages keeps them in ours (locale/id), which Django consults first."""

from django.utils.translation import gettext_noop

# the empty choice of every select built from model choices (django.db.models.fields, 6.1)
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")
