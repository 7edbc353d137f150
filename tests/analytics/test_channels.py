"""The traffic channel of a visit from its first hit: UTM wins, else the referrer's class (pure)."""

import pytest

from analytics.channels import Source, classify, referrer_host

OWN = ("shop.example", "127.0.0.1")


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        ("", Source("direct")),
        ("not a url", Source("direct")),
        ("android-app://com.google.android.gm/", Source("direct")),
        ("https://shop.example/catalog/", Source("internal", referrer_host="shop.example")),
        ("http://127.0.0.1:8000/p/x/", Source("internal", referrer_host="127.0.0.1")),
        (
            "https://www.google.com/search?q=x",
            Source("search", "google", "organic", referrer_host="www.google.com"),
        ),
        (
            "https://www.google.co.uk/",
            Source("search", "google", "organic", referrer_host="www.google.co.uk"),
        ),
        ("https://google.de/", Source("search", "google", "organic", referrer_host="google.de")),
        (
            "https://news.google.com.br/",
            Source("search", "google", "organic", referrer_host="news.google.com.br"),
        ),
        ("https://www.bing.com/search", Source("search", "bing", "organic", referrer_host="www.bing.com")),
        (
            "https://duckduckgo.com/",
            Source("search", "duckduckgo", "organic", referrer_host="duckduckgo.com"),
        ),
        (
            "https://search.yahoo.co.jp/",
            Source("search", "yahoo", "organic", referrer_host="search.yahoo.co.jp"),
        ),
        ("https://www.baidu.com/s?wd=x", Source("search", "baidu", "organic", referrer_host="www.baidu.com")),
        ("https://m.facebook.com/", Source("social", "facebook", "social", referrer_host="m.facebook.com")),
        (
            "https://l.instagram.com/",
            Source("social", "instagram", "social", referrer_host="l.instagram.com"),
        ),
        ("https://t.co/abc", Source("social", "twitter", "social", referrer_host="t.co")),
        ("https://www.reddit.com/r/x", Source("social", "reddit", "social", referrer_host="www.reddit.com")),
        (
            "https://pinterest.co.uk/pin/1",
            Source("social", "pinterest", "social", referrer_host="pinterest.co.uk"),
        ),
        ("https://weibo.com/u/1", Source("social", "weibo", "social", referrer_host="weibo.com")),
        (
            "https://www.blog.example/post",
            Source("referral", "blog.example", "referral", referrer_host="www.blog.example"),
        ),
        # Look-alikes are other sites, not the engine or the network.
        (
            "https://google.evil.com/",
            Source("referral", "google.evil.com", "referral", referrer_host="google.evil.com"),
        ),
        (
            "https://notfacebook.com/",
            Source("referral", "notfacebook.com", "referral", referrer_host="notfacebook.com"),
        ),
        (
            "https://googleusercontent.com/",
            Source("referral", "googleusercontent.com", "referral", referrer_host="googleusercontent.com"),
        ),
    ],
)
def test_the_referrer_class_names_the_channel_when_there_is_no_utm(referrer, expected):
    assert classify(referrer=referrer, own_hosts=OWN) == expected


def test_any_utm_parameter_makes_a_campaign_visit_whatever_the_referrer():
    assert classify(
        referrer="https://www.google.com/",
        utm_source=" Newsletter ",
        utm_medium="Email",
        utm_campaign="Autumn  Sale",
        own_hosts=OWN,
    ) == Source("campaign", "newsletter", "email", "autumn sale", "www.google.com")
    assert classify(referrer="", utm_campaign="spring") == Source("campaign", "", "", "spring")
    assert classify(referrer="https://shop.example/", utm_medium="cpc", own_hosts=OWN).channel == "campaign"


def test_the_referrer_host_is_lower_case_without_port_or_trailing_dot():
    assert referrer_host("HTTPS://WWW.Example.COM.:8443/path?q=1") == "www.example.com"
    assert referrer_host("ftp://example.com/") == ""
    assert referrer_host("https://[broken/") == ""
