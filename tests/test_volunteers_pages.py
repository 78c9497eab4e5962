"""AppTest: sign-up, review, recording and the volunteer's own page, through the real app."""

from datetime import date

import pytest

from db.connection import connect
from db.identity import make_id
from tests.conftest import login, new_app

pytestmark = pytest.mark.both_engines


def signup_form(at, name, id_number, phone):
    at.switch_page("app_pages/volunteer_signup.py").run()
    at.text_input(key="signup.real_name").input(name)
    at.text_input(key="signup.id_number").input(id_number)
    at.text_input(key="signup.phone").input(phone)
    return at


def test_public_sign_up_explains_errors_then_lands_pending(app_env):
    at = new_app().run()
    good = make_id("341702", date(1990, 5, 17), 3, "M")
    signup_form(at, "周建国", good, "13966660001")
    at.button(key="signup.submit").click().run()
    assert any("请勾选同意" in e.value for e in at.error)  # consent not given
    signup_form(at, "周建国", good[:-1] + ("1" if good[-1] != "1" else "2"), "13966660001")
    at.checkbox(key="signup.consent").check()
    at.button(key="signup.submit").click().run()
    assert any("校验位不正确" in e.value for e in at.error), [e.value for e in at.error]
    signup_form(at, "周建国", good, "13966660001")
    at.button(key="signup.submit").click().run()
    assert "报名已提交，请等待社区审核。" in [s.value for s in at.success]
    db = connect(app_env, migrate=False)
    row = next(db.query("SELECT status, number FROM volunteers WHERE real_name = '周建国'"))
    assert row == {"status": "pending", "number": None}


def test_coordinator_approves_sign_up_and_sees_one_time_password(app_env):
    at = new_app().run()
    from db.volunteers import sign_up
    from tests.test_volunteers_db import person

    db = connect(app_env, migrate=False)
    sign_up(db, person(db, 77, notes="周末可以来"))  # a second one waiting in 秋浦社区
    login(at, "coordinator")
    at.switch_page("app_pages/volunteers.py").run()
    assert not at.exception
    at.session_state["volunteer_tabs"] = "待审核报名"
    at.run()
    count = [c.value for c in at.caption if "份报名待审核" in c.value][0]
    pending_before = int(count.split(" ")[0])
    assert any(m.value.startswith("特长：") for m in at.markdown)  # what each offers, before deciding
    approve = [b for b in at.button if b.label == "通过"][0]
    approve.click().run()
    message = [s.value for s in at.success][0]
    assert message.startswith("已通过，编号 CZ") and "一次性密码" in message
    assert f"{pending_before - 1} 份报名待审核。" in [c.value for c in at.caption]
    [b for b in at.button if b.label == "通过"][0].click().run()  # the next one straight away
    issued = at.dataframe[0].value
    assert len(issued) == 2 and issued["一次性密码"].str.len().min() >= 8  # the first is still there
    assert f"{pending_before - 2} 份报名待审核。" in [c.value for c in at.caption]


def test_coordinator_records_hours_for_a_group(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/hours.py").run()
    volunteers = at.multiselect(key="record_hours.volunteer_ids")
    first_two = [o for o in volunteers.options][:2]
    assert len(first_two) == 2
    volunteers.select(first_two[0]).select(first_two[1])
    at.text_input(key="record_hours.activity").input("社区环境整治")
    at.button(key="record_hours.submit").click().run()
    assert "已记录 2 条，待审核。" in [s.value for s in at.success], [e.value for e in at.error]
    # Four eyes: the coordinator's own entries wait for someone else, outside the list they tick
    at.session_state["hours_tabs"] = "待审核"
    at.run()
    waiting = next(e for e in at.expander if e.label == "你录入的 2 条待他人审核")
    assert sorted(waiting.dataframe[0].value["活动"].tolist()) == ["社区环境整治", "社区环境整治"]
    assert "社区环境整治" not in at.dataframe[-1].value["活动"].tolist()
    admin = new_app().run()
    login(admin, "admin")
    admin.switch_page("app_pages/hours.py")
    admin.session_state["hours_tabs"] = "待审核"
    admin.run()
    admin.text_input(key="pending_activity").input("社区环境整治").run()
    admin.checkbox(key="pending_all").check().run()
    next(b for b in admin.button if b.label == "通过所选（2 条）").click().run()
    admin.button(key="hours_confirm_yes").click().run()
    assert "已通过 2 条。" in [s.value for s in admin.success], [e.value for e in admin.error]


def test_volunteer_sees_own_page(app_env):
    at = new_app().run()
    login(at, "volunteer")
    at.switch_page("app_pages/my_volunteering.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["累计服务时长", "星级", "志愿者编号"]


import pytest  # noqa: E402

TABS = {
    "app_pages/volunteers.py": ("volunteer_tabs", ["名册", "待审核报名", "直接登记"]),
    "app_pages/hours.py": ("hours_tabs", ["记录时长", "待审核", "台账与冲正"]),
    "app_pages/transfer.py": ("transfer_tabs", ["导入", "导出"]),
    "app_pages/exchange.py": ("exchange_tabs", ["求助", "服务", "发布求助"]),
    "app_pages/exchange_manage.py": ("manage_tabs", ["审核", "代居民发布", "匹配与指派", "确认完成", "取消需求"]),
    "app_pages/outlets_admin.py": ("outlets_tabs", ["维护", "导入导出"]),
    "app_pages/directory.py": ("directory_tabs", ["列表", "地图"]),
    "app_pages/daycare.py": ("daycare_tabs", ["本周课表", "今日安排", "课程的后续场次"]),
    "app_pages/daycare_manage.py": ("daycare_manage_tabs", ["课程", "停开日", "会员", "预约", "签到", "用餐人数",
                                                           "志愿者协助"]),
}


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_every_tab_renders(app_env, role):
    at = new_app().run()
    login(at, role)
    for page, (key, labels) in TABS.items():
        for label in labels + (["星级标准"] if role == "admin" and key == "hours_tabs" else []):
            at.switch_page(page)
            at.session_state[key] = label
            at.run()
            assert not at.exception, (page, label, at.exception)


def test_volunteer_tabs_render(app_env):
    at = new_app().run()
    login(at, "volunteer")
    for page, key, label in [("app_pages/my_volunteering.py", "my_tabs", "我的服务记录"),
                             ("app_pages/my_volunteering.py", "my_tabs", "申报服务时长"),
                             ("app_pages/my_volunteering.py", "my_tabs", "服务记录证明"),
                             ("app_pages/my_exchange.py", "my_exchange_tabs", "我认领的"),
                             ("app_pages/my_exchange.py", "my_exchange_tabs", "发布服务"),
                             ("app_pages/my_exchange.py", "my_exchange_tabs", "时间银行")]:
        at.switch_page(page)
        at.session_state[key] = label
        at.run()
        assert not at.exception, (page, label, at.exception)


def _column_of(at, key):
    """The form column holding the widget with this key (its message slot is in the same column)."""
    return next(c for c in at.columns if any(w.key == key for w in c.text_input))


def test_a_refused_sign_up_keeps_everything_typed_and_says_why_beside_the_field(app_env):
    at = new_app().run()
    good = make_id("341702", date(1990, 5, 17), 3, "M")
    bad_check_digit = good[:-1] + ("1" if good[-1] != "1" else "2")
    signup_form(at, "周建国", bad_check_digit, "1396666")
    at.checkbox(key="signup.consent").check()
    at.button(key="signup.submit").click().run()
    assert at.text_input(key="signup.real_name").value == "周建国"
    assert at.text_input(key="signup.id_number").value == bad_check_digit
    assert at.checkbox(key="signup.consent").value is True
    assert ["身份证号校验位不正确，请核对。"] == [e.value for e in _column_of(at, "signup.id_number").error]
    assert [e.value for e in _column_of(at, "signup.phone").error] != []
    assert [] == [e.value for e in _column_of(at, "signup.real_name").error]
    # mended in place, the same form goes through, and then it is empty for the next person
    at.text_input(key="signup.id_number").input(good)
    at.text_input(key="signup.phone").input("13966660001")
    at.button(key="signup.submit").click().run()
    assert "报名已提交，请等待社区审核。" in [s.value for s in at.success]
    assert at.text_input(key="signup.real_name").value == ""
    db = connect(app_env, migrate=False)
    row = next(db.query("SELECT gender, birth_year FROM volunteers WHERE real_name = '周建国'"))
    assert row == {"gender": "M", "birth_year": 1990}  # read from the ID number


def test_coordinator_filters_ticks_confirms_and_can_undo_an_approval(app_env):
    at = new_app().run()
    login(at, "coordinator")
    db = connect(app_env, migrate=False)
    mine = next(db.query("SELECT community_id FROM users WHERE username = 'coordinator'"))["community_id"]
    self_reported = [r["id"] for r in db.query("SELECT id FROM service_records WHERE status = 'pending' AND source = 'self'"
                                                " AND community_id = ?", [mine])]
    assert self_reported, "the demo city has self-reported hours waiting"
    at.switch_page("app_pages/hours.py")
    at.session_state["hours_tabs"] = "待审核"
    at.run()
    at.selectbox(key="pending_source").set_value("self").run()
    assert sorted(at.dataframe[0].value["记录号"].tolist()) == sorted(self_reported)  # the rows of the editor
    at.checkbox(key="pending_all").check().run()
    approve_button = next(b for b in at.button if b.label.startswith("通过所选"))
    assert approve_button.label == f"通过所选（{len(self_reported)} 条）"
    approve_button.click().run()
    assert any(w.value.startswith(f"确认通过 {len(self_reported)} 条") for w in at.warning)
    # asked, not yet done
    assert db.execute("SELECT COUNT(*) FROM service_records WHERE status = 'pending' AND source = 'self'"
                      " AND community_id = ?", [mine]).fetchone()[0] == len(self_reported)
    at.button(key="hours_confirm_yes").click().run()
    assert f"已通过 {len(self_reported)} 条。" in [s.value for s in at.success]
    statuses = {r["status"] for r in db.query(f"SELECT status FROM service_records WHERE id IN ({','.join('?' * len(self_reported))})", self_reported)}
    assert statuses == {"approved"}
    at.button(key="hours_undo_button").click().run()
    reversed_ = db.execute(f"SELECT COUNT(*) FROM service_records WHERE reverses_id IN ({','.join('?' * len(self_reported))})",
                           self_reported).fetchone()[0]
    assert reversed_ == len(self_reported)


def test_the_navigation_says_what_waits_for_the_coordinator(app_env):
    at = new_app().run()
    login(at, "coordinator")
    db = connect(app_env, migrate=False)
    hours = db.execute("SELECT COUNT(*) FROM service_records WHERE status = 'pending' AND community_id = 1").fetchone()[0]
    signups = db.execute("SELECT COUNT(*) FROM volunteers WHERE status = 'pending' AND community_id = 1").fetchone()[0]
    assert hours and signups
    from db.todo import waiting

    coordinator = at.session_state["actor"]
    assert waiting(db, coordinator) == {"app_pages/hours.py": hours, "app_pages/volunteers.py": signups,
                                        **({"app_pages/exchange_manage.py": n} if (n := db.execute(
                                            "SELECT COUNT(*) FROM service_requests WHERE status = 'pending'"
                                            " AND community_id = 1").fetchone()[0]) else {}),
                                        # residents' reports on the community's outlets (the demo leaves two)
                                        "app_pages/outlets_admin.py": db.execute(
                                            "SELECT COUNT(*) FROM outlet_corrections WHERE status = 'pending'"
                                            " AND community_id = 1").fetchone()[0]}
    assert waiting(db, at.session_state["actor"].__class__("leader", "leader")) == {}  # leaders approve nothing
    admin_hours = db.execute("SELECT COUNT(*) FROM service_records WHERE status = 'pending'").fetchone()[0]
    assert waiting(db, at.session_state["actor"].__class__("admin", "admin", user_id=1))["app_pages/hours.py"] == admin_hours
