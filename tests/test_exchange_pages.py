"""AppTest: the exchange forms post through the real pages."""

from db.connection import connect
from tests.conftest import login, new_app


def test_coordinator_posts_for_a_resident(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/exchange_manage.py")
    at.session_state["manage_tabs"] = "代居民发布"
    at.run()
    [ti for ti in at.text_input if ti.label == "需要什么帮助"][0].input("帮李大爷修水管")
    [ti for ti in at.text_input if ti.label == "联系电话"][0].input("13900003333")
    [b for b in at.button if b.label == "发布求助"][0].click().run()
    assert "已发布。" in [s.value for s in at.success], [e.value for e in at.error]
    db = connect(app_env, migrate=False)
    assert next(db.query("SELECT status FROM service_requests WHERE title = '帮李大爷修水管'"))["status"] == "open"


def test_volunteer_registers_family_and_redeems(app_env):
    at = new_app().run()
    login(at, "volunteer")
    at.switch_page("app_pages/my_exchange.py")
    at.session_state["my_exchange_tabs"] = "时间银行"
    at.run()
    [ti for ti in at.text_input if ti.label == "姓名"][0].input("陈妈妈")
    [b for b in at.button if b.label == "登记"][0].click().run()
    assert "已登记家庭成员。" in [s.value for s in at.success], [e.value for e in at.error]
    [ti for ti in at.text_input if ti.label == "需要什么帮助"][0].input("帮妈妈代买药")
    [b for b in at.button if b.label == "发布求助"][0].click().run()
    assert any("分钟已预留" in s.value for s in at.success), [e.value for e in at.error]
