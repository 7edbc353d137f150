"""English and Simplified Chinese: the catalogue is complete, compiled, and pages switch language."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _po_entries(text: str):
    """Yield (flags, msgid, msgid_plural, [msgstr...]) from a .po file (enough of the format for our use)."""
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        flags = ""
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                current = m.group(1)
                fields[current] = [m.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line[1:-1])
        if "msgid" not in fields:
            continue
        joined = {
            k: "".join(v).encode().decode("unicode_escape").encode("latin-1").decode()
            for k, v in fields.items()
        }
        msgstrs = [v for k, v in joined.items() if k.startswith("msgstr")]
        yield flags, joined["msgid"], joined.get("msgid_plural", ""), msgstrs


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    entries = [e for e in _po_entries(PO.read_text(encoding="utf-8")) if e[1]]

    untranslated = [msgid for _, msgid, _, msgstrs in entries if not all(msgstrs)]
    fuzzy = [msgid for flags, msgid, _, _ in entries if "fuzzy" in flags]
    assert len(entries) > 250
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with PO.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)

    stale = [
        msgid
        for _, msgid, plural, msgstrs in _po_entries(PO.read_text(encoding="utf-8"))
        if msgid and not plural and compiled.gettext(msgid) != msgstrs[0]
    ]
    assert stale == []


@pytest.mark.django_db
def test_storefront_speaks_chinese_when_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans,zh;q=0.9")

    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "搜索商品" in html
    assert "新品上架" in html


@pytest.mark.django_db
def test_language_switcher_sets_the_language_for_later_pages(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "登录" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign In" in client.get("/accounts/login/").content.decode()
