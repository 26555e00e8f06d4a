"""Strings of Django itself that its Indonesian catalogue lacks or words otherwise than we do,
marked here so that makemessages keeps them in ours (locale/id), which Django consults first.

The office says "kata sandi" (never a bare "sandi") for a password, on every page and in the
password-reset mail; and Django's login error repeated "nama pengguna" ("Masukkan nama pengguna
nama pengguna dan sandi…"). tests/test_i18n_django_strings.py checks every password string of
django.contrib.auth and django.contrib.admin against this."""

from django.utils.translation import gettext_noop

# the empty choice of every select built from model choices (django.db.models.fields, 6.1)
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")

# django.contrib.auth and django.contrib.admin (forms, validators, templates, the reset mail)
PASSWORD_STRINGS = (
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that both fields may be case-sensitive."
    ),
    gettext_noop("Change password: %s"),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Enter new password"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Invalid password format or unknown hashing algorithm."),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("No password set."),
    gettext_noop("Old password"),
    gettext_noop("Password"),
    gettext_noop("Password change"),
    gettext_noop("Password change successful"),
    gettext_noop("Password changed successfully."),
    gettext_noop("Password confirmation"),
    gettext_noop("Password reset"),
    gettext_noop("Password reset complete"),
    gettext_noop("Password reset on %(site_name)s"),
    gettext_noop("Password reset unsuccessful"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("password"),
    gettext_noop("Change my password"),
    gettext_noop("Change password"),
    gettext_noop("Confirm password:"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Enter a new password for the user <strong>%(username)s</strong>."),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we’ll email instructions for setting a new one."
    ),
    gettext_noop("New password:"),
    gettext_noop("Password reset confirmation"),
    gettext_noop(
        "Please enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly."
    ),
    gettext_noop("Please go to the following page and choose a new password:"),
    gettext_noop("Reset my password"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  Please request a new password reset."
    ),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop(
        "We’ve emailed you instructions for setting your password, if an account exists with the email you entered. You should receive them shortly."
    ),
    gettext_noop(
        "You're receiving this email because you requested a password reset for your user account at %(site_name)s."
    ),
    gettext_noop("Your password has been set.  You may go ahead and log in now."),
    gettext_noop("Your password was changed."),
    gettext_noop("In case you’ve forgotten, you are:"),
)
