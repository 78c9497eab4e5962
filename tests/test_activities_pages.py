"""AppTest: activities through the real pages — a volunteer 报名 and cancels, a coordinator publishes
(refused first, nothing typed lost), ticks by hand, shows the code; the code's address signs in."""

from datetime import datetime, time, timedelta

from db import attendance, clock
from db.activities import activity, publish, sign_up
from db.users import actor_for
from db.connection import connect
from tests.conftest import login, new_app, texts
import pytest

pytestmark = pytest.mark.both_engines


def _db(app_env):
    return connect(app_env, migrate=False)


def test_the_public_sees_activities_and_is_asked_to_log_in_to_sign_up(app_env):
    at = new_app().run()
    at.switch_page("app_pages/activities.py").run()
    assert not at.exception
    assert "敬老院探访" in texts(at) and "登录志愿者账号后可报名。" in texts(at)
    assert not [b for b in at.button if b.label in ("报名", "候补报名")]


def test_a_volunteer_signs_up_in_one_tap_sees_it_and_cancels(app_env):
    at = new_app().run()
    login(at, "volunteer")
    at.switch_page("app_pages/activities.py").run()
    join = next(b for b in at.button if b.label == "报名")
    join.click().run()
    assert "报名成功。" in [s.value for s in at.success], [e.value for e in at.error]
    db = _db(app_env)
    [(signup_id, status)] = db.execute("SELECT u.id, u.status FROM activity_signups u JOIN users x ON x.username = 'volunteer'"
                                       " JOIN volunteers v ON v.user_id = x.id WHERE u.volunteer_id = v.id").fetchall()
    assert status == "confirmed"
    at.session_state["activity_tabs"] = "我的活动"
    at.run()
    assert any(m.value.startswith("**敬老院探访**") for m in at.markdown), texts(at)
    at.switch_page("app_pages/my_volunteering.py").run()  # and on her own page, the next one coming
    assert "**即将参加的活动**" in [m.value for m in at.markdown] and "**敬老院探访** · 社区敬老院" in texts(at)
    at.switch_page("app_pages/activities.py").run()
    at.session_state["activity_tabs"] = "近期活动"
    at.run()
    next(b for b in at.button if b.label == "取消报名").click().run()
    assert "已取消。" in [s.value for s in at.success], [e.value for e in at.error]
    assert db.execute("SELECT status FROM activity_signups WHERE id = ?", [signup_id]).fetchone()[0] == "cancelled"


def test_a_coordinator_publishes_refused_first_without_losing_anything(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/activities_manage.py")
    at.session_state["manage_tabs"] = "发布活动"
    at.run()
    at.text_input(key="activity.title").input("河道清洁")
    at.text_input(key="activity.place").input("秋浦河步道")
    at.time_input(key="activity.ends").set_value(time(8, 0))  # before the 09:00 start
    at.button(key="activity.submit").click().run()
    ends_column = next(c for c in at.columns if any(w.key == "activity.ends" for w in c.time_input))
    assert [e.value for e in ends_column.error] == ["结束时间必须晚于开始时间。"]
    assert at.text_input(key="activity.title").value == "河道清洁"
    at.time_input(key="activity.ends").set_value(time(11, 0))
    centre = next(o for o in at.selectbox(key="activity.place_known").options if "照料中心" in o)
    at.selectbox(key="activity.place_known").set_value(centre)  # one of the community's places, not typed
    at.number_input(key="activity.repeat_weeks").set_value(2)
    at.button(key="activity.submit").click().run()
    assert "已发布 2 场活动。" in [s.value for s in at.success], [e.value for e in at.error]
    db = _db(app_env)
    rows = db.execute("SELECT a.starts_at, s.name, s.slots FROM activities a JOIN activity_shifts s ON s.activity_id = a.id"
                      " WHERE a.title = '河道清洁' ORDER BY a.starts_at").fetchall()
    assert {p for (p,) in db.execute("SELECT place FROM activities WHERE title = '河道清洁'")} == {centre}
    day = clock.today() + timedelta(days=7)
    assert rows == [(f"{day}T09:00", "志愿者", 10), (f"{day + timedelta(days=7)}T09:00", "志愿者", 10)]


def test_the_roster_shows_the_code_and_ticks_by_hand_once_the_shift_opens(app_env):
    at = new_app().run()
    db = _db(app_env)
    # a demo activity of 秋浦社区 with someone signed up
    activity_id, signup_id, starts_at = db.execute(
        "SELECT a.id, u.id, s.starts_at FROM activities a JOIN activity_signups u ON u.activity_id = a.id"
        " AND u.status = 'confirmed' JOIN activity_shifts s ON s.id = u.shift_id WHERE a.community_id = 1"
        " AND a.starts_at > ? ORDER BY a.starts_at LIMIT 1", [clock.minute()]).fetchone()
    login(at, "coordinator")
    at.switch_page("app_pages/activities_manage.py").run()
    at.selectbox(key="act.manage_pick").set_value(activity_id).run()
    at.toggle(key=f"qr_{activity_id}").set_value(True).run()
    assert not at.exception
    assert any("/sign_in?t=" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"tick_in_{signup_id}"]  # days before: nothing to tick
    with clock.frozen(datetime.fromisoformat(starts_at) + timedelta(minutes=5)):
        at.run()
        at.time_input(key=f"tick_in_time_{signup_id}").set_value(datetime.fromisoformat(starts_at).time())
        at.button(key=f"tick_in_{signup_id}").click().run()
        assert "已登记。" in [s.value for s in at.success], [e.value for e in at.error]
    assert db.execute("SELECT signed_in_at, in_source, in_by FROM activity_signups WHERE id = ?", [signup_id]).fetchone() \
        == (starts_at + ":00+08:00", "manual", "coordinator")


def test_the_codes_address_signs_a_volunteer_in_after_logging_in(app_env):
    at = new_app().run()  # seeds the demo city
    db = _db(app_env)
    me, coordinator = actor_for(db, "volunteer"), actor_for(db, "coordinator")
    saturday = clock.today() + timedelta(days=12)
    with clock.frozen(datetime.combine(saturday - timedelta(days=5), time(10, 0))):
        [activity_id] = publish(db, coordinator, {
            "community_id": coordinator.community_id, "title": "扫码测试", "category": "elderly", "place": "活动室",
            "day": saturday, "starts": time(9, 0), "ends": time(11, 0),
            "shifts": [{"name": "值守", "starts": time(9, 0), "ends": time(11, 0), "slots": 3}]})
        sign_up(db, me, activity(db, activity_id)["shifts"][0]["id"])
    with clock.frozen(datetime.combine(saturday, time(8, 50))):
        at.query_params["t"] = attendance.token(activity_id)
        at.switch_page("app_pages/sign_in.py").run()
        assert "请先登录志愿者账号，再完成签到（10 分钟内有效）。" in texts(at)
    with clock.frozen(datetime.combine(saturday, time(8, 53))):  # three minutes to remember a password
        at.text_input(key="login_username").input("volunteer")
        at.text_input(key="login_password").input("linli-demo")
        at.button(key="login_submit").click().run()
        assert "扫码测试" in texts(at), texts(at)
        at.button(key="scan.press").click().run()
        assert "已签到：08:53。活动结束时请再扫码签退。" in [s.value for s in at.success], [e.value for e in at.error]
        assert at.button(key="scan.press").label == "签退"
    assert db.execute("SELECT signed_in_at, in_source FROM activity_signups WHERE activity_id = ?",
                      [activity_id]).fetchone() == (f"{saturday}T08:53:00+08:00", "qr")
    with clock.frozen(datetime.combine(saturday, time(11, 2))):  # the same code, two hours later: stale
        at.button(key="scan.press").click().run()
        assert [e.value for e in at.error] == ["二维码已过期：请扫描现场屏幕上正在显示的二维码。"]


def test_the_bell_tells_a_volunteer_their_hours_were_approved_and_forgets_once_read(app_env):
    from db.ledger import approve, record_hours

    at = new_app().run()
    db = _db(app_env)
    me = actor_for(db, "volunteer")
    [rid] = record_hours(db, me, {"volunteer_ids": [me.volunteer_id], "activity": "楼道清扫", "minutes": 90,
                                  "service_date": clock.today(), "category": "elderly"})
    approve(db, actor_for(db, "coordinator"), [rid])
    login(at, "volunteer")
    [bell] = [p for p in at.get("popover") if p.proto.popover.label.startswith("通知")]
    assert bell.proto.popover.label == "通知 · 1"
    assert "你今天的 1.5 小时（楼道清扫）已审核通过。" in [m.value for m in bell.markdown]
    at.button(key="notes_read").click().run()
    [bell] = [p for p in at.get("popover") if p.proto.popover.label.startswith("通知")]
    assert bell.proto.popover.label == "通知"
