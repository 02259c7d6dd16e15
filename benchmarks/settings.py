"""The portal's settings, with the benchmark URL module (``benchmarks.urls``): the portal's URLs
plus the trivial baseline views the benchmarks measure beside the real ones. The benchmark
scripts start their servers with ``DJANGO_SETTINGS_MODULE=benchmarks.settings``; production
never loads this module."""

from casco_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
