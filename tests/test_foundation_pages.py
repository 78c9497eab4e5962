"""AppTest: every page for every role allowed to see it; forbidden pages unreachable; login."""

import pytest

from components.navigation import PAGES, pages_for
from tests.conftest import ROOT, login, new_app, texts

pytestmark = pytest.mark.both_engines

ROLE_ACCOUNTS = {"volunteer": "volunteer", "coordinator": "coordinator", "leader": "leader", "admin": "admin"}


def as_role(role):
    at = new_app().run()
    if role != "public":
        login(at, ROLE_ACCOUNTS[role])
        assert at.session_state["actor"].role == role, texts(at)
    return at


@pytest.mark.parametrize("role", ["public", "volunteer", "coordinator", "leader", "admin"])
def test_every_allowed_page_renders(app_env, role):
    at = as_role(role)
    for spec in pages_for(role):
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
        assert at.title, spec.path


@pytest.mark.parametrize("role", ["public", "volunteer", "coordinator", "leader"])
def test_forbidden_pages_cannot_be_opened(app_env, role):
    at = as_role(role)
    allowed = {p.path for p in pages_for(role)}
    for path in [p.path for p in PAGES]:
        if path in allowed:
            continue
        # The page is not in this role's navigation, so it cannot be switched to.
        with pytest.raises(ValueError, match="Could not find a navigation page") as exc:
            at.switch_page(path)
        known = sorted(str(ROOT / p) for p in allowed)
        assert all(k in str(exc.value) for k in known)


def test_public_sees_home_in_chinese_and_english(app_env):
    at = new_app().run()
    assert at.title[0].value == "邻里 · 社区服务"
    at.radio(key="_lang_choice").set_value("en").run()
    assert at.title[0].value == "Linli · Community services"
    assert at.session_state["lang"] == "en"
    assert at.query_params["lang"] == "en"


def test_lang_query_parameter(app_env):
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == "Linli · Community services"


def test_login_wrong_password_says_so(app_env):
    at = new_app().run()
    login(at, "coordinator", "wrong-password")
    assert at.session_state["actor"].role == "public"
    assert "用户名或密码错误。多次输错后需等几分钟再试，或请管理员解锁。" in [e.value for e in at.error]


def test_unknown_user_gets_the_same_message(app_env):
    at = new_app().run()
    login(at, "nobody", "whatever1")
    assert [e.value for e in at.error] == ["用户名或密码错误。多次输错后需等几分钟再试，或请管理员解锁。"]


def test_sixth_attempt_refused_even_with_right_password(app_env):
    at = new_app().run()
    for _ in range(5):
        login(at, "coordinator", "wrong-password")
    assert "用户名或密码错误。多次输错后需等几分钟再试，或请管理员解锁。" in [e.value for e in at.error]  # locked, and it reads like any wrong password
    login(at, "coordinator")  # the right password, while the lock lasts
    assert at.session_state["actor"].role == "public"
    assert "用户名或密码错误。多次输错后需等几分钟再试，或请管理员解锁。" in [e.value for e in at.error]


def test_logout_returns_to_public(app_env):
    at = as_role("admin")
    at.button(key="logout_button").click().run()
    assert at.session_state["actor"].role == "public"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/users.py")


def test_admin_adds_community_and_bad_input_is_explained(app_env):
    at = as_role("admin")
    at.switch_page("app_pages/communities.py").run()
    form_inputs = [ti for ti in at.text_input if ti.label == "名称"]
    form_inputs[0].input("")
    submit = [b for b in at.button if b.label == "创建"][0]
    submit.click().run()
    assert any("未保存任何内容" in e.value and "必填" in e.value for e in at.error)
    [ti for ti in at.text_input if ti.label == "名称"][0].input("新城社区")
    [b for b in at.button if b.label == "创建"][0].click().run()
    assert not at.exception
    assert "已保存。" in [s.value for s in at.success]
    assert "新城社区" in at.dataframe[0].value["名称"].tolist()


def add_user(at, username, display_name, role="leader", password="long-enough"):
    at.text_input(key="add_user.username").input(username)
    at.text_input(key="add_user.display_name").input(display_name)
    at.text_input(key="add_user.password").input(password)
    at.selectbox(key="add_user.role").set_value(role)
    at.button(key="add_user.submit").click().run()


def test_admin_creates_user_and_duplicate_is_refused(app_env):
    at = as_role("admin")
    at.switch_page("app_pages/users.py").run()
    add_user(at, "coordinator", "重复的人")
    assert "用户名 coordinator 已被使用。" in [e.value for e in at.error]
    add_user(at, "leader2", "副局长")
    assert "已创建用户 leader2。" in [s.value for s in at.success]


def test_audit_log_lists_logins(app_env):
    at = as_role("admin")
    at.switch_page("app_pages/audit_log.py").run()
    assert not at.exception
    assert "login" in at.dataframe[0].value["操作"].tolist()
