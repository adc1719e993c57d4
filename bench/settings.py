"""Settings of the load benchmark: the project's own, plus the bare view and the floor views to
compare with (bench/urls.py)."""

from lujiazui.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
