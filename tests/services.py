"""Tests that need a service (PostgreSQL, the S3 server): skipped locally, failed under CI."""

import os

import pytest
from django.db import connection


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing service fails the run)")
    pytest.skip(reason)


def require_postgresql():
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/dik_<x>")
