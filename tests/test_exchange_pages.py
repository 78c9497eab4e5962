"""AppTest: the exchange forms post through the real pages."""

from db.connection import connect
from tests.conftest import login, new_app


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
