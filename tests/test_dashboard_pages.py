"""AppTest: the dashboard for each role, URL filters, meeting mode."""

import pytest

from tests.conftest import login, new_app


@pytest.mark.parametrize("role", ["leader", "admin", "coordinator"])
def test_dashboard_renders_with_tiles_and_charts(app_env, role):
    at = new_app().run()
    login(at, role)
    at.switch_page("app_pages/dashboard.py").run()
    assert not at.exception
    assert len(at.metric) == 12
    if role == "coordinator":
        # Own community against the city: each tile says the city's figure.
        assert all(m.help and m.help.startswith("全市：") for m in at.metric)
        assert at.caption[0].value.endswith("· 秋浦社区 · 全部")


def test_filters_come_from_the_url(app_env):
    at = new_app().run()
    login(at, "leader")
    at.query_params["period"] = "year"
    at.query_params["district"] = "东至县"
    at.switch_page("app_pages/dashboard.py").run()
    assert not at.exception
    assert "东至县" in at.caption[0].value
    assert at.query_params["district"] == "东至县"


def test_meeting_mode_shows_one_section_at_a_time(app_env):
    at = new_app().run()
    login(at, "leader")
    at.query_params["meeting"] = "1"
    at.switch_page("app_pages/dashboard.py").run()
    assert not at.exception
    assert [h.value for h in at.header] == ["关键指标"]
    assert not at.selectbox  # no filters in meeting mode
    next_button = [b for b in at.button if b.label == "下一节"][0]
    next_button.click().run()
    assert [h.value for h in at.header] == ["志愿服务"]
