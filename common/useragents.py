"""Classify a User-Agent header without a database or a network call (pure)."""

import re

_BOT = re.compile(
    r"bot|crawl|spider|slurp|bingpreview|facebookexternalhit|headlesschrome|python-requests|curl/|wget/|"
    r"httpclient|go-http-client|scrapy|monitor|uptime|lighthouse|wrk|locust|apachebench",
    re.IGNORECASE,
)
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
_MOBILE = re.compile(r"mobi|iphone|ipod|android.*mobile|windows phone|blackberry|opera mini", re.IGNORECASE)
_DESKTOP = re.compile(r"windows nt|macintosh|x11|cros|linux x86_64", re.IGNORECASE)


def classify_user_agent(user_agent: str) -> str:
    """Returns one of analytics.models.UserAgentClass values (the strings). An empty agent is treated as a bot."""
    if not user_agent or _BOT.search(user_agent):
        return "bot"
    if _TABLET.search(user_agent):
        return "tablet"
    if _MOBILE.search(user_agent):
        return "mobile"
    if _DESKTOP.search(user_agent):
        return "desktop"
    return "other"
