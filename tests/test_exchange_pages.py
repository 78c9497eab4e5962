"""AppTest: the exchange forms post through the real pages."""

from db.connection import connect
from tests.conftest import login, new_app
import pytest

pytestmark = pytest.mark.both_engines


def test_coordinator_posts_for_a_resident(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/exchange_manage.py")
    at.session_state["manage_tabs"] = "代居民发布"
    at.run()
    at.text_input(key="post_for_resident.title").input("帮李大爷修水管")
    at.text_input(key="post_for_resident.requester_name").input("李大爷")
    at.text_input(key="post_for_resident.requester_phone").input("1390000")  # four digits short
    at.button(key="post_for_resident.submit").click().run()
    # refused: nothing typed is lost, and the message sits under the phone field
    assert at.text_input(key="post_for_resident.title").value == "帮李大爷修水管"
    assert at.text_input(key="post_for_resident.requester_name").value == "李大爷"
    phone_column = next(c for c in at.columns if any(w.key == "post_for_resident.requester_phone" for w in c.text_input))
    assert [e.value for e in phone_column.error] == ["“1390000”既不是手机号也不是固定电话（如 0566-1234567）。"]
    at.text_input(key="post_for_resident.requester_phone").input("13900003333")
    at.button(key="post_for_resident.submit").click().run()
    assert "已发布。" in [s.value for s in at.success], [e.value for e in at.error]
    assert at.text_input(key="post_for_resident.title").value == ""  # ready for the next resident
    db = connect(app_env, migrate=False)
    assert next(db.query("SELECT status FROM service_requests WHERE title = '帮李大爷修水管'"))["status"] == "open"


def test_volunteer_registers_family_and_redeems(app_env):
    at = new_app().run()
    login(at, "volunteer")
    at.switch_page("app_pages/my_exchange.py")
    at.session_state["my_exchange_tabs"] = "时间银行"
    at.run()
    at.text_input(key="family.name").input("陈妈妈")
    at.button(key="family.submit").click().run()
    assert "已登记家庭成员。" in [s.value for s in at.success], [e.value for e in at.error]
    at.text_input(key="redeem.title").input("帮妈妈代买药")
    at.button(key="redeem.submit").click().run()
    assert any("分钟已预留" in s.value for s in at.success), [e.value for e in at.error]


def test_a_resident_posts_gets_a_reference_and_follows_it(app_env):
    at = new_app().run()
    at.switch_page("app_pages/exchange.py")
    at.session_state["exchange_tabs"] = "发布求助"
    at.run()
    at.text_input(key="post_need.title").input("帮忙搬一下米")
    at.text_input(key="post_need.requester_name").input("张阿姨")
    at.button(key="post_need.submit").click().run()
    phone_column = next(c for c in at.columns if any(w.key == "post_need.requester_phone" for w in c.text_input))
    assert [e.value for e in phone_column.error] == ["请留下电话：社区要能联系您，您也要用它查询进度。"]
    at.text_input(key="post_need.requester_phone").input("13900004444")
    at.button(key="post_need.submit").click().run()
    [message] = [s.value for s in at.success]
    number = message.split("受理编号 ")[1].split("。")[0]
    assert number.startswith("QZ") and "查询进度" in message
    at.session_state["exchange_tabs"] = "查询进度"
    at.run()
    at.text_input(key="track.number").input(number)
    at.text_input(key="track.phone").input("13900004444")
    at.button(key="track.submit").click().run()
    shown = "\n".join(m.value for m in at.markdown)
    assert f"受理编号 {number}：帮忙搬一下米" in shown and "待审核" in shown and "约 60 分钟" in shown
