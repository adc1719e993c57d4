"""Settings of the load benchmark: the project's own, plus a bare view to compare with."""

from lujiazui.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
