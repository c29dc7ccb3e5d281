"""Settings for the published site: absolute URLs from radar.yaml's site.url."""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = RADAR.site.url  # noqa: F405
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
