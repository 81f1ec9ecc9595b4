"""
Settings for the benchmark server: the project's own settings, read from the environment
bench/run.py sets up (DEBUG off, like production), with the URLs of bench/urls.py, which
add the baseline views to the site's.
"""

from authsite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
