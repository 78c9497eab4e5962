"""AppTest: residents' voice through the real pages — a resident rates a need by its 受理编号, a
coordinator enters a phoned rating and shares a comment, a report that an outlet is wrong reaches
the coordinator who settles it, a slip's code opens the survey on a phone, the office publishes a
survey and prints slips, and the scorecard shows each reader what they may see."""

from datetime import timedelta

from db import clock, exchange
from db.assessment import surveys
from db.connection import connect
from db.users import actor_for
from components.usertext import plain
from tests.conftest import login, new_app, texts
import pytest

pytestmark = pytest.mark.both_engines

HTML = "<b>粗</b> **星** [点我](javascript:alert(1))"


def _db(app_env):
    return connect(app_env, migrate=False)


def _confirmed_need(db, phone="13900005555"):
    coord = actor_for(db, "coordinator")
    request_id = exchange.post_need(db, coord, {"title": "代买药", "category": "medicine", "community_id": coord.community_id,
                                                "requester_name": "李大爷", "requester_phone": phone,
                                                "expires_at": clock.now() + timedelta(days=1)})
    helper = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND user_id IS NULL",
                           [coord.community_id]))["id"]
    exchange.claim(db, coord, request_id, helper)
    exchange.mark_done(db, coord, request_id, 40)
    exchange.confirm(db, coord, request_id)
    return request_id


def test_a_resident_follows_their_need_and_rates_it_once(app_env):
    at = new_app().run()
    db = _db(app_env)
    request_id = _confirmed_need(db)
    at.switch_page("app_pages/exchange.py")
    at.session_state["exchange_tabs"] = "查询进度"
    at.run()
    at.text_input(key="track.number").input(exchange.reference(request_id))
    at.text_input(key="track.phone").input("13900005555")
    at.button(key="track.submit").click().run()
    assert "这项服务已完成，请您评价：" in texts(at), texts(at)
    at.button(key="rate_track.submit").click().run()  # no stars chosen: refused, said beside the field
    assert at.error and db["need_ratings"].count == 81
    at.radio(key="rate_track.stars").set_value(5)
    at.text_area(key="rate_track.comment").input(HTML)
    at.button(key="rate_track.submit").click().run()
    assert "谢谢您的评价！" in [s.value for s in at.success], [e.value for e in at.error]
    assert "您的评价：★★★★★ 很满意" in texts(at)
    assert db.execute("SELECT stars, comment, on_behalf FROM need_ratings WHERE request_id = ?",
                      [request_id]).fetchone() == (5, HTML, 0)


def test_a_coordinator_enters_a_phoned_rating_and_shares_the_comment_shown_as_text(app_env):
    at = new_app().run()
    db = _db(app_env)
    request_id = _confirmed_need(db)
    login(at, "coordinator")
    at.switch_page("app_pages/exchange_manage.py")
    at.session_state["manage_tabs"] = "居民评价"
    at.run()
    at.radio(key=f"rate_{request_id}.stars").set_value(2)
    at.text_area(key=f"rate_{request_id}.comment").input(HTML)
    at.button(key=f"rate_{request_id}.submit").click().run()
    assert "谢谢您的评价！" in [s.value for s in at.success], [e.value for e in at.error]
    rating_id, on_behalf = db.execute("SELECT id, on_behalf FROM need_ratings WHERE request_id = ?", [request_id]).fetchone()
    assert on_behalf == 1
    line = next(m.value for m in at.markdown if "代买药" in m.value)
    assert "协调员代录" in line and plain(HTML) in line and HTML not in line, line
    at.button(key=f"share_{rating_id}").click().run()
    assert db.execute("SELECT shared FROM need_ratings WHERE id = ?", [rating_id]).fetchone() == (1,)


def test_a_report_from_the_directory_reaches_the_coordinator_who_rejects_it_with_a_reason(app_env):
    at = new_app().run()
    db = _db(app_env)
    coord = actor_for(db, "coordinator")
    at.switch_page("app_pages/directory.py")
    at.session_state["dir_when"] = "any"
    at.session_state["dir_community"] = coord.community_id
    at.run()
    assert any(c.value.startswith("最后核实 ") or c.value == "尚未核实" for c in at.caption)
    opener = next(b for b in at.button if b.key and b.key.startswith("fix_") and b.key.endswith(".open"))
    form = opener.key[:-len(".open")]
    outlet_id = int(form[4:])
    opener.click().run()  # the form opens under that outlet only
    assert [b.key for b in at.button if b.key and b.key.endswith(".submit") and b.key.startswith("fix_")] == [f"{form}.submit"]
    at.button(key=f"{form}.submit").click().run()  # nothing chosen: refused, nothing stored
    assert at.error
    pending = db.execute("SELECT COUNT(*) FROM outlet_corrections").fetchone()[0]
    at.radio(key=f"{form}.kind").set_value("hours")
    at.text_area(key=f"{form}.detail").input("周日不开门 " + HTML)
    at.button(key=f"{form}.submit").click().run()
    assert "谢谢！社区核实后会更正。" in [s.value for s in at.success], [e.value for e in at.error]
    [(correction_id,)] = db.execute("SELECT id FROM outlet_corrections WHERE outlet_id = ? AND status = 'pending'"
                                    " AND kind = 'hours'", [outlet_id]).fetchall()
    assert db.execute("SELECT COUNT(*) FROM outlet_corrections").fetchone()[0] == pending + 1
    login(at, "coordinator")
    at.switch_page("app_pages/outlets_admin.py")
    at.session_state["outlets_tabs"] = "居民反馈"
    at.run()
    waiting = db.execute("SELECT COUNT(*) FROM outlet_corrections WHERE status = 'pending' AND community_id = ?",
                         [coord.community_id]).fetchone()[0]
    assert f"**待处理的反馈 {waiting} 条**" in [m.value for m in at.markdown]
    assert any("周日不开门" in m.value for m in at.markdown), texts(at)
    at.text_input(key=f"reject_{correction_id}.reason").input("已电话核实，周日照常营业")
    at.button(key=f"reject_{correction_id}.submit").click().run()
    assert "已处理。" in [s.value for s in at.success], [e.value for e in at.error]
    assert db.execute("SELECT status, reason FROM outlet_corrections WHERE id = ?", [correction_id]).fetchone() == (
        "rejected", "已电话核实，周日照常营业")


def test_a_slips_code_opens_the_survey_and_a_refused_answer_keeps_what_was_chosen(app_env):
    at = new_app().run()
    db = _db(app_env)
    coord = actor_for(db, "coordinator")
    [code] = surveys.issue_codes(db, coord, 1, coord.community_id, 1)
    questions = surveys.survey(db, 1)["questions"]
    scale1, scale2, choice, _ = (q["id"] for q in questions)
    at.query_params["code"] = code
    at.switch_page("app_pages/survey.py").run()
    assert f"### {surveys.survey(db, 1)['title']}" in [m.value for m in at.markdown]
    at.radio(key=f"survey.answers.{scale1}").set_value(4)
    at.text_input(key="survey.phone").input("13955556666")
    at.button(key="survey.submit").click().run()  # two questions unanswered
    assert at.error and at.radio(key=f"survey.answers.{scale1}").value == 4
    assert db.execute("SELECT used_at FROM survey_codes WHERE code = ?", [code]).fetchone() == (None,)
    at.radio(key=f"survey.answers.{scale2}").set_value(3)
    at.radio(key=f"survey.answers.{choice}").set_value(2)
    at.button(key="survey.submit").click().run()
    assert "问卷已提交，谢谢您的参与！" in [s.value for s in at.success], [e.value for e in at.error]
    [(response_id,)] = db.execute("SELECT id FROM survey_responses WHERE code = ?", [code]).fetchall()
    assert sorted(db.execute("SELECT question_id, value FROM survey_answers WHERE response_id = ?", [response_id]).fetchall()) \
        == sorted([(scale1, 4), (scale2, 3), (choice, 2)])


def test_the_office_publishes_a_survey_and_a_coordinator_prints_slips(app_env):
    at = new_app().run()
    db = _db(app_env)
    login(at, "leader")
    at.switch_page("app_pages/surveys.py")
    at.session_state["surveys_tabs"] = "新建调查"
    at.run()
    at.text_input(key="new_survey.title").input("助餐服务满意度")
    at.button(key="new_survey.submit").click().run()
    assert "调查已发布。请各社区打印问卷码发放。" in [s.value for s in at.success], [e.value for e in at.error]
    survey_id, title = db.execute("SELECT id, title FROM surveys ORDER BY id DESC LIMIT 1").fetchone()
    assert title == "助餐服务满意度"
    assert [q["kind"] for q in surveys.survey(db, survey_id)["questions"]] == ["scale", "scale", "scale", "choice", "text"]
    assert surveys.survey(db, survey_id)["questions"][3]["choices"] == ["家政", "助医", "维修", "助餐", "文体活动"]
    at2 = new_app().run()
    login(at2, "coordinator")
    at2.switch_page("app_pages/surveys.py")
    at2.session_state["surveys_tabs"] = "打印问卷码"
    at2.run()
    at2.selectbox(key="sv_slips_pick").set_value(survey_id).run()
    at2.number_input(key="slips.count").set_value(16)
    at2.button(key="slips.submit").click().run()
    assert "已生成 16 个问卷码。" in [s.value for s in at2.success], [e.value for e in at2.error]
    assert "未使用的问卷码 16 个" in texts(at2)
    coord = actor_for(db, "coordinator")
    assert len(surveys.unused_codes(db, coord, survey_id, coord.community_id)) == 16


def test_the_results_show_counts_and_intervals_and_raw_answers_to_admins_only(app_env):
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/surveys.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["社区"]) == ["秋浦社区"] and "±" in frame.iloc[0]["您对社区志愿服务的总体满意度"]
    assert "逐份答卷（仅管理员）" not in [e.label for e in at.expander]
    at2 = new_app().run()
    login(at2, "admin")
    at2.switch_page("app_pages/surveys.py").run()
    assert len(at2.dataframe[0].value) == 92 and "逐份答卷（仅管理员）" in [e.label for e in at2.expander]


def test_the_scorecard_for_a_leader_and_for_a_coordinator(app_env):
    at = new_app().run()
    login(at, "leader")
    at.switch_page("app_pages/scorecard.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) == 93 and frame.iloc[-1]["社区"] == "全市平均"
    assert list(frame["全市排名"][:1]) == ["1/92"]
    at.selectbox(key="sc_district").set_value("东至县").run()
    assert set(at.dataframe[0].value["区县"][:-1]) == {"东至县"}
    at2 = new_app().run()
    login(at2, "coordinator")
    at2.switch_page("app_pages/scorecard.py").run()
    frame = at2.dataframe[0].value
    assert list(frame["社区"]) == ["秋浦社区", "贵池区平均", "全市平均"]
    assert "设置权重（管理员）" not in [e.label for e in at2.expander]
