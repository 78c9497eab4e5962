"""User text is text: cleaned at the pydantic boundary (NFKC, no control or bidi-override
characters), escaped before any Markdown-rendering widget, neutralised in every export. The browser
half (nothing renders, nothing is fetched from another host) is tests/e2e/test_security_e2e.py."""

from datetime import timedelta

import pytest

from components.usertext import JOINER, plain
from db import clock
from db.exchange import post_need
from db.models import Actor

QIUPU = 1
COORD = Actor("coordinator", "coordinator", community_id=QIUPU, user_id=3)


@pytest.mark.parametrize("typed, stored", [
    ("王\u202e芳", "王芳"),                    # right-to-left override: the name would display reversed
    ("代买\u0000药\u001b[31m", "代买药[31m"),   # NUL and a terminal escape
    ("Ａｂｃ１２３", "Abc123"),                 # full-width letters and digits
    ("第一行\n第二行", "第一行\n第二行"),          # line breaks stay
    ("请提前十分钟到达，扫码签到！（带上手套）", "请提前十分钟到达，扫码签到！（带上手套）"),  # Chinese punctuation stays
    ("０８：００集合，（0566）1234567", "08:00集合，(0566)1234567"),  # beside digits it is a typing habit
    ("３０．６，ＡＢ；王“芳”", "30.6,AB；王“芳”"),
])
def test_text_is_cleaned_on_the_way_in(db, typed, stored):
    rid = post_need(db, COORD, {"title": typed, "description": typed, "category": "medicine", "community_id": QIUPU,
                                "expires_at": clock.now() + timedelta(days=1)})
    row = db["service_requests"].get(rid)
    assert row["description"] == stored
    assert row["title"] == stored


def test_passwords_are_not_normalised():
    from db.models import Strict

    class Form(Strict):
        password: str
        name: str

    form = Form.model_validate({"password": "ｐａｓｓ\u202e", "name": "ｐａｓｓ\u202e"})
    assert form.password == "ｐａｓｓ\u202e" and form.name == "pass"


@pytest.mark.parametrize("typed", ["![x](http://198.51.100.7/p.png)", "[点我](http://a.example)", "**粗**", "$x$",
                                   ":red[红]", "# 标题", "> 引用", "1. 列表", "<b>x</b>", "www.a.example",
                                   "me@a.example", "`code`"])
def test_plain_escapes_every_markdown_trigger(typed):
    escaped = plain(typed)
    # Every ASCII punctuation mark is preceded by a backslash, and no autolink trigger is intact.
    for n, ch in enumerate(escaped):
        if ch.isascii() and not ch.isalnum() and ch not in " \\":
            assert escaped[n - 1] == "\\", (typed, escaped)
    assert "://" not in escaped.replace("\\", "") and "www." not in escaped.replace("\\", "").lower()
    assert escaped.replace("\\", "").replace(JOINER, "") == typed
