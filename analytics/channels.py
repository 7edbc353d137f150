"""Where a visit came from: its traffic channel, source, medium and campaign (pure: no ORM, no settings).

Rules, first match wins (pinned by ``tests/analytics/test_channels.py``):

1. **Campaign.** Any UTM parameter on the visit's first hit (``utm_source``, ``utm_medium`` or
   ``utm_campaign``): channel ``campaign``, the three values as given (trimmed, lower case).
2. **Direct.** No referrer, or one that is not an http(s) URL with a host: channel ``direct``.
3. **Internal.** The referrer's host is one of the platform's own hosts (a visit that resumed after 30
   minutes on one of our pages): channel ``internal``.
4. **Search engine.** The host is a known search engine (``SEARCH_ENGINES``): channel ``search``,
   source the engine's name (``google``), medium ``organic``.
5. **Social.** The host is a known social network (``SOCIAL_NETWORKS``): channel ``social``, source the
   network's name, medium ``social``.
6. **Other site.** Anything else: channel ``referral``, source the host without ``www.``, medium
   ``referral``.

A host matches a listed domain when it is that domain or a subdomain of it (``m.facebook.com``). A
listed domain ending in ``.*`` matches that name under a country or generic suffix (``google.*``:
``google.com``, ``google.de``, ``google.co.uk``, ``news.google.com.br``; not ``google.evil.com``), which
is how search engines spread over country domains.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

CAMPAIGN = "campaign"
DIRECT = "direct"
SEARCH = "search"
SOCIAL = "social"
REFERRAL = "referral"
INTERNAL = "internal"

# domain pattern -> the source name reported for it
SEARCH_ENGINES: dict[str, str] = {
    "google.*": "google",
    "bing.com": "bing",
    "duckduckgo.com": "duckduckgo",
    "yahoo.*": "yahoo",
    "baidu.com": "baidu",
    "yandex.*": "yandex",
    "ya.ru": "yandex",
    "ecosia.org": "ecosia",
    "search.brave.com": "brave",
    "startpage.com": "startpage",
    "qwant.com": "qwant",
    "ask.com": "ask",
    "aol.com": "aol",
    "naver.com": "naver",
    "seznam.cz": "seznam",
    "sogou.com": "sogou",
    "so.com": "360",
    "sm.cn": "shenma",
    "kagi.com": "kagi",
}
SOCIAL_NETWORKS: dict[str, str] = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "t.co": "twitter",
    "linkedin.com": "linkedin",
    "lnkd.in": "linkedin",
    "pinterest.*": "pinterest",
    "pin.it": "pinterest",
    "reddit.com": "reddit",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "threads.net": "threads",
    "tumblr.com": "tumblr",
    "snapchat.com": "snapchat",
    "whatsapp.com": "whatsapp",
    "wa.me": "whatsapp",
    "t.me": "telegram",
    "telegram.org": "telegram",
    "discord.com": "discord",
    "bsky.app": "bluesky",
    "mastodon.social": "mastodon",
    "quora.com": "quora",
    "vk.com": "vk",
    "weibo.com": "weibo",
    "weibo.cn": "weibo",
    "weixin.qq.com": "wechat",
    "douyin.com": "douyin",
    "xiaohongshu.com": "xiaohongshu",
    "zhihu.com": "zhihu",
    "bilibili.com": "bilibili",
}

# Second-level labels of country suffixes ("co.uk", "com.br"): "google.co.uk" is Google, "google.evil.com"
# is not.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go", "gob"})
_TEXT_LIMIT = 100
_HOST_LIMIT = 200


@dataclass(frozen=True)
class Source:
    channel: str
    source: str = ""
    medium: str = ""
    campaign: str = ""
    referrer_host: str = ""


def referrer_host(referrer: str) -> str:
    """The lower-case host of an http(s) referrer URL, "" for anything else."""
    try:
        parts = urlsplit(referrer.strip())
        host = parts.hostname or ""
    except ValueError:  # a malformed URL (an unbalanced "[" in the host)
        return ""
    if parts.scheme.lower() not in ("http", "https"):
        return ""
    return host.rstrip(".")[:_HOST_LIMIT]


def _matches(host: str, pattern: str) -> bool:
    if not pattern.endswith(".*"):
        return host == pattern or host.endswith("." + pattern)
    # "google.*": a label sequence ending in "google" followed by one or two suffix labels.
    name = pattern[:-2]
    labels = host.split(".")
    suffix_labels = 2 if len(labels) > 2 and labels[-2] in _SECOND_LEVEL else 1
    stem = ".".join(labels[:-suffix_labels])
    return bool(stem) and (stem == name or stem.endswith("." + name))


def _lookup(host: str, table: dict[str, str]) -> str:
    return next((name for pattern, name in table.items() if _matches(host, pattern)), "")


def _clean(value: str) -> str:
    return " ".join(value.split()).lower()[:_TEXT_LIMIT]


def classify(
    *,
    referrer: str,
    utm_source: str = "",
    utm_medium: str = "",
    utm_campaign: str = "",
    own_hosts: Collection[str] = (),
) -> Source:
    """The channel of a visit from its first hit's referrer and UTM parameters (rules in the docstring)."""
    host = referrer_host(referrer)
    source, medium, campaign = _clean(utm_source), _clean(utm_medium), _clean(utm_campaign)
    if source or medium or campaign:
        return Source(CAMPAIGN, source, medium, campaign, host)
    if not host:
        return Source(DIRECT)
    if host in {h.lower() for h in own_hosts}:
        return Source(INTERNAL, referrer_host=host)
    engine = _lookup(host, SEARCH_ENGINES)
    if engine:
        return Source(SEARCH, engine, "organic", referrer_host=host)
    network = _lookup(host, SOCIAL_NETWORKS)
    if network:
        return Source(SOCIAL, network, "social", referrer_host=host)
    site = host.removeprefix("www.")[:_TEXT_LIMIT]
    return Source(REFERRAL, site, "referral", referrer_host=host)
