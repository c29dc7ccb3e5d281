"""Settings for the published site: absolute URLs from radar.yaml's site.url."""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = RADAR.site.url  # noqa: F405
RELATIVE_URLS = False
# Kept between builds: pages whose inputs did not change are not rendered again
# (pipeline/site/incremental.py). Papers are never removed, so nothing goes stale.
DELETE_OUTPUT_DIRECTORY = False
