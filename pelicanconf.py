"""Pelican settings for AcademicHub. Site text comes from radar.yaml, read by pipeline.config.

Only pages a visitor needs are generated: no per-co-author, tag or category pages, whose cost grows
with authors × papers (see README, "Design notes")."""

from __future__ import annotations

import os

from pipeline.config import load_radar
from pipeline.feedback import issue_url
from pipeline.site.listings import listing_url
from pipeline.site.messages import translator

RADAR = load_radar(os.environ.get("ACADEMICHUB_RADAR", "radar.yaml"))

SITENAME = RADAR.site.title
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "UTC"
DEFAULT_LANG = RADAR.site.language
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PATH = "content"
ARTICLE_PATHS = ["papers", "briefings"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
IGNORE_FILES = [".*", "*.json", "*.tmp"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "papers"

THEME = "theme"
PLUGINS = ["pipeline.site.plugin"]
JINJA_FILTERS = {"listing_url": listing_url, "feedback_url": issue_url}
JINJA_GLOBALS = {"_": translator(RADAR.site.language)}  # the interface's words (site.language)
# 👍 / 👎 / ☆ links open an issue here (README, "Feedback through GitHub"); none when unknown.
FEEDBACK_REPOSITORY = RADAR.feedback.repository or os.environ.get("GITHUB_REPOSITORY", "")
# auto_reload off: templates do not change during a build, and its check is a stat() per
# include (~8 a card, 40k cards at 10k papers)
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

ARTICLE_URL = "papers/{slug}/"
ARTICLE_SAVE_AS = "papers/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DEFAULT_PAGINATION = RADAR.site.papers_per_page
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Home, listings (watched author, topic, source, day), browse, subscribe, status and all feeds
# are written by pipeline.site.generator. Pages nobody needs at this scale stay off: one per
# co-author, tag, category, year/month.
DIRECT_TEMPLATES: list[str] = []
PAGINATED_TEMPLATES: dict[str, int | None] = {}  # pipeline.site.generator paginates itself
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""

FEED_ALL_ATOM = FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 100

SUMMARY_MAX_LENGTH = 60
MARKDOWN = {
    "extension_configs": {},  # plain Markdown: no tables, attr lists or raw-HTML blocks
    "output_format": "html5",
}
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
# Pickled as it is: gzip spent 5 s of a 50k-paper build compressing what CI caches compressed.
GZIP_CACHE = False
# No translations: Pelican's translation pass compares every article with every other
# (`x not in index` over lists), 17 s at 50k papers and growing quadratically.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
