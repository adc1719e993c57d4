"""The demo command on an empty database (tests/test_demo.py reads the demo street it loads)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from residents.models import Street

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not Street.objects.exists()


def test_load_demo_prints_progress_and_the_demo_logins(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert re.search(r"^\[(\d+)/\1\] ", out.getvalue(), re.MULTILINE), "the last step is shown"
    assert "laosan / demo-pass-2026" in out.getvalue()
