"""Settings for the published site: links are root-relative to radar.yaml's site.url
("https://you.github.io/radar" → "/radar/papers/…"); feeds carry the full URL
(pipeline/site/generator.py). Shorter than absolute links on every card of every page, and the
same pages serve a custom domain or a preview of the artifact."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = urlsplit(RADAR.site.url).path.rstrip("/")  # noqa: F405
RELATIVE_URLS = False
# Kept between builds: pages whose inputs did not change are not rendered again
# (pipeline/site/incremental.py); pages the build did not write (a removed paper's) are deleted.
DELETE_OUTPUT_DIRECTORY = False
