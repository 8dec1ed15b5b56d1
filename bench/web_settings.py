"""Settings for the web load run: the project's own, with the per-IP subscribe limit lifted.

The load generator sends every request from 127.0.0.1, so the real limit (a few requests per IP per
window) would turn the run into a measure of 429 answers. The limit is still checked (one Redis INCR
per request, as in production); only its ceiling is raised.
"""

from config.settings import *  # noqa: F403

SUBSCRIBE_PER_IP_LIMIT = 10**9
