"""AppTest: what a resident reads on the directory — open now by default, true outlet states in
words and colour, closed-for-good shops hidden (and never with a number to call)."""

from datetime import date, datetime

from db import clock
from db.connection import connect
from db.outlets import create_outlet, pause, set_status
from tests.conftest import login, new_app
from tests.test_directory_db import coordinator, outlet
import pytest

pytestmark = pytest.mark.both_engines

TUESDAY_NOON = datetime(2026, 3, 3, 12, 0)  # an ordinary working day (hand-checked: no holiday)


def test_residents_see_true_states_in_words_and_colour(app_env):
    with clock.frozen(TUESDAY_NOON):
        new_app().run()  # first start seeds the demo city into the app's database
        db = connect(app_env, migrate=False)
        c = coordinator(db)
        paused = create_outlet(db, c, outlet(db, name="装修中的药房", phones="0566-2020001"))
        pause(db, c, paused, {"reason": "店面装修", "until": date(2026, 3, 14)})
        gone = create_outlet(db, c, outlet(db, name="已关门的小卖部", phones="0566-2020002"))
        set_status(db, c, gone, "closed")
        night_only = create_outlet(db, c, outlet(db, name="夜宵铺", opening_hours="Mo-Su 18:00-23:00"))
        assert night_only
        at = new_app().run()
        at.switch_page("app_pages/directory.py").run()
        assert at.radio(key="dir_when").value == "now"  # open now is where a resident starts
        at.text_input(key="dir_text").input("药房").run()
        cards = "\n".join(m.value for m in at.markdown)
        assert "仁和24小时药房" in cards and ":green-badge[营业中] :blue-badge[24小时营业]" in cards
        assert "装修中的药房" not in cards  # not open now
        at.radio(key="dir_when").set_value("any")
        at.text_input(key="dir_text").input("装修中的药房").run()
        cards = "\n".join(m.value for m in at.markdown)
        assert ":orange-badge[暂停营业] · 原因：店面装修 · 3月15日 起恢复营业" in cards
        at.text_input(key="dir_text").input("夜宵").run()
        cards = "\n".join(m.value for m in at.markdown)
        assert ":gray-badge[休息中] · 今日：18:00–23:00 · 18:00 开门" in cards
        at.text_input(key="dir_text").input("小卖部").run()
        assert "已关门的小卖部" not in "\n".join(m.value for m in at.markdown)
        at.checkbox(key="dir_show_closed").check().run()
        cards = "\n".join(m.value for m in at.markdown)
        assert "已关门的小卖部" in cards and ":red-badge[已停业]" in cards
        assert not [b for b in at.get("link_button") if "2020002" in b.proto.url]  # nothing to call
        at.text_input(key="dir_text").input("装修中的药房").run()
        assert [b.proto.url for b in at.get("link_button") if b.proto.url.startswith("tel:")] == ["tel:05662020001"]
        [way] = [b.proto.url for b in at.get("link_button") if "amap" in b.proto.url]
        assert way.startswith("https://uri.amap.com/marker?position=117.") and "coordinate=wgs84" in way


def test_another_day_is_named_instead_of_today(app_env):
    with clock.frozen(TUESDAY_NOON):
        at = new_app().run()
        at.switch_page("app_pages/directory.py").run()
        at.radio(key="dir_when").set_value("at").run()
        at.date_input(key="dir_at_date").set_value(date(2026, 3, 8)).run()  # a Sunday
        at.text_input(key="dir_text").input("秋浦大药房").run()
        cards = "\n".join(m.value for m in at.markdown)
        assert "3月8日营业：" in cards and "今日" not in cards


def test_the_service_cards_link_preselects_the_community_once(app_env):
    at = new_app()
    at.query_params["community"] = "1"
    at.run()
    at.switch_page("app_pages/directory.py").run()
    assert at.selectbox(key="dir_community").value == 1 and at.selectbox(key="dir_near").value == 1
    # the resident's own choice then holds ("全部" is chosen as the browser sends it: the first option)
    at.selectbox(key="dir_community").select_index(0).run()
    at.selectbox(key="dir_near").select_index(0).run()
    assert at.selectbox(key="dir_community").value is None and at.selectbox(key="dir_near").value is None
    at.selectbox(key="dir_community").select_index(2).run()  # and a second change holds too
    assert at.selectbox(key="dir_community").index == 2


def test_coordinator_is_told_in_words_where_opening_hours_go_wrong_and_keeps_the_form(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/outlets_admin.py").run()
    db = connect(app_env, migrate=False)
    before = db["outlets"].count
    at.text_input(key="add_outlet.name").input("新开的药店")
    at.text_input(key="add_outlet.address").input("秋浦路 18 号")
    at.text_input(key="add_outlet.phones").input("0566-2021234")
    at.radio(key="add_outlet.way").set_value("osm")
    at.text_input(key="add_outlet.osm").input("Mo-Fx 08:00-12:00")
    at.button(key="add_outlet.submit").click().run()
    said = "\n".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes of what was typed
    assert "营业时间第 4 个字符处（“Fx 08:00-1”）应为星期" in said and "expected" not in said
    assert at.text_input(key="add_outlet.name").value == "新开的药店"  # nothing typed is lost
    assert at.text_input(key="add_outlet.osm").value == "Mo-Fx 08:00-12:00"
    assert db["outlets"].count == before
    at.text_input(key="add_outlet.osm").input("Mo-Fr 08:00-12:00")
    at.button(key="add_outlet.submit").click().run()
    assert not at.error and db["outlets"].count == before + 1
    assert at.text_input(key="add_outlet.name").value == ""  # saved: the form is ready for the next one
