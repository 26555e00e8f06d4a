"""Background tasks of the project itself (each app keeps the tasks of its own work).

Run by the worker (`manage.py db_worker --no-reload`), or inline under the test settings.
"""

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone


@task()
def clear_expired_sessions() -> int:
    """Delete the sessions past their expiry (sessions live in the database); how many went."""
    removed, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return removed
