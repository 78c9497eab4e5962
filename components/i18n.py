"""The one catalogue of UI text, Chinese and English. `t(key)` speaks the session's language;
`translate(key, lang)` is the same without Streamlit (the command line uses it)."""

LANGS = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("邻里 · 社区服务", "Linli · Community services"),
    "app.tagline": ("志愿服务、便民网点、日间照料，一个平台。",
                    "Volunteering, neighbourhood services and day care in one place."),
    "app.language": ("语言 / Language", "语言 / Language"),
    "app.signed_in_as": ("当前用户：{name}（{role}）", "Signed in as {name} ({role})"),
    "app.logout": ("退出登录", "Log out"),
    "app.demo_mode": ("演示模式", "Demo mode"),
    "nav.public": ("公共服务", "Public"),
    "nav.account": ("账户", "Account"),
    "nav.admin": ("系统管理", "Administration"),
    "page.home": ("首页", "Home"),
    "page.login": ("登录", "Log in"),
    "page.communities": ("社区", "Communities"),
    "page.users": ("用户管理", "Users"),
    "page.audit": ("操作日志", "Audit log"),
    # roles
    "role.public": ("居民", "Resident"),
    "role.volunteer": ("志愿者", "Volunteer"),
    "role.coordinator": ("社区协调员", "Coordinator"),
    "role.leader": ("领导", "Leader"),
    "role.admin": ("管理员", "Administrator"),
    # home
    "home.intro": ("邻里是池州市社区服务平台：志愿者登记与服务时长记录、服务需求对接与时间银行、"
                   "便民服务网点与十五分钟生活圈、老年人日间照料中心日程，以及供领导决策的统计看板。",
                   "Linli is Chizhou's community-service platform: volunteer registration and the "
                   "service-hour ledger, the service exchange and time bank, the directory of convenience "
                   "outlets and the 15-minute life circle, the elderly day-care schedule, and the "
                   "leaders' dashboard."),
    "home.you_can": ("您可以在这里：", "Here you can:"),
    "home.figures": ("全市概况", "The city at a glance"),
    "home.districts": ("区县", "Districts"),
    "home.communities": ("社区", "Communities"),
    "home.population": ("常住人口", "Residents"),
    "home.open": ("打开", "Open"),
    "home.can.public": ("查看社区信息，登录后使用更多功能。", "See the communities; log in for more."),
    "home.can.volunteer": ("查看个人资料和服务记录。", "See your profile and service record."),
    "home.can.coordinator": ("管理本社区的志愿者、服务记录和便民信息。",
                             "Manage your community's volunteers, hours and directory."),
    "home.can.leader": ("查看全市统计数据（不含个人信息）。", "See city-wide figures (no personal data)."),
    "home.can.admin": ("管理社区、用户和系统，查看操作日志。",
                       "Manage communities, users and the system; read the audit log."),
    "home.link.communities": ("各区县社区的户数、人口和位置", "households, residents and location of every community"),
    "home.link.users": ("账户、角色、解锁和重置密码", "accounts, roles, unlocking and password resets"),
    "home.link.audit": ("谁在何时修改了什么", "who changed what, and when"),
    # login
    "login.form": ("登录", "Log in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.failed": ("用户名或密码错误（还可尝试 {left} 次）。",
                     "Wrong username or password ({left} attempts left)."),
    "login.failed_plain": ("用户名或密码错误。", "Wrong username or password."),
    "login.locked": ("该账户因连续 5 次密码错误已被锁定，请联系管理员解锁。",
                     "This account is locked after 5 wrong passwords; ask an administrator to unlock it."),
    "login.inactive": ("该账户已停用。", "This account is deactivated."),
    "login.empty": ("请输入用户名和密码。", "Enter your username and password."),
    "login.demo_accounts": ("演示账户（密码均为 {password}）", "Demo accounts (password {password} for all)"),
    # communities
    "communities.title": ("社区", "Communities"),
    "communities.filter_district": ("区县", "District"),
    "communities.all": ("全部", "All"),
    "communities.add": ("新增社区", "Add a community"),
    "communities.edit": ("编辑社区", "Edit a community"),
    "communities.pick": ("选择社区", "Choose a community"),
    "communities.saved": ("已保存。", "Saved."),
    "col.name": ("名称", "Name"),
    "col.district": ("区县", "District"),
    "col.kind": ("类型", "Type"),
    "col.households": ("户数", "Households"),
    "col.population": ("人口", "Population"),
    "col.lat": ("纬度", "Latitude"),
    "col.lon": ("经度", "Longitude"),
    "kind.urban": ("城市社区", "Urban"),
    "kind.rural": ("农村社区", "Rural"),
    "form.save": ("保存", "Save"),
    "form.create": ("创建", "Create"),
    # users
    "users.title": ("用户管理", "Users"),
    "users.add": ("新增用户", "Add a user"),
    "users.manage": ("管理用户", "Manage a user"),
    "users.pick": ("选择用户", "Choose a user"),
    "users.created": ("已创建用户 {username}。", "Created user {username}."),
    "users.role_changed": ("角色已修改。", "Role changed."),
    "users.password_reset": ("密码已重置。", "Password reset."),
    "users.unlocked": ("已解锁。", "Unlocked."),
    "users.activated": ("已启用。", "Activated."),
    "users.deactivated": ("已停用。", "Deactivated."),
    "users.change_role": ("修改角色", "Change role"),
    "users.reset_password": ("重置密码", "Reset password"),
    "users.new_password": ("新密码", "New password"),
    "users.unlock": ("解锁", "Unlock"),
    "users.activate": ("启用", "Activate"),
    "users.deactivate": ("停用", "Deactivate"),
    "users.locked": ("已锁定", "Locked"),
    "users.no_community": ("（无）", "(none)"),
    "col.username": ("用户名", "Username"),
    "col.display_name": ("姓名", "Name"),
    "col.role": ("角色", "Role"),
    "col.community": ("社区", "Community"),
    "col.active": ("启用", "Active"),
    "col.failed_logins": ("密码错误次数", "Failed logins"),
    "col.created_at": ("创建时间", "Created"),
    # audit
    "audit.title": ("操作日志", "Audit log"),
    "audit.actor": ("操作人", "Who"),
    "audit.table": ("数据表", "Table"),
    "audit.action": ("操作", "Action"),
    "audit.since": ("起始日期", "From"),
    "audit.until": ("截止日期", "To"),
    "audit.empty": ("没有符合条件的记录。", "No entries match."),
    "audit.showing": ("显示最近 {n} 条。", "Showing the latest {n}."),
    "col.at": ("时间", "When"),
    "col.row_id": ("记录", "Row"),
    "col.before": ("修改前", "Before"),
    "col.after": ("修改后", "After"),
    # errors
    "err.generic": ("操作未完成。", "The action did not complete."),
    "err.input": ("有 {count} 处填写有误，未保存任何内容：", "{count} problem(s) in the form; nothing was saved:"),
    "err.permission": ("您没有执行此操作的权限。", "You are not allowed to do this."),
    "err.outside_community": ("只能操作本社区的数据。", "You can only act within your own community."),
    "err.not_found": ("找不到该记录。", "That record does not exist."),
    "err.conflict": ("与现有数据冲突。", "This conflicts with existing data."),
    "err.busy": ("系统繁忙，请稍后重试（未保存任何内容）。", "The system is busy; try again (nothing was saved)."),
    "err.required": ("必填。", "Required."),
    "err.too_long": ("太长（最多 {max_length} 个字）。", "Too long (at most {max_length} characters)."),
    "err.not_a_number": ("请输入数字。", "Enter a number."),
    "err.too_small": ("不能小于 {ge}{gt}。", "Must not be below {ge}{gt}."),
    "err.too_large": ("不能大于 {le}{lt}。", "Must not be above {le}{lt}."),
    "err.invalid_choice": ("不是有效的选项。", "Not one of the allowed choices."),
    "err.bad_format": ("格式不正确。", "Wrong format."),
    "err.bad_date": ("日期不正确。", "Not a valid date."),
    "err.bad_time": ("时间不正确。", "Not a valid time."),
    "err.invalid": ("无效。", "Invalid."),
    "err.username_format": ("用户名须为 3–32 位小写字母、数字或 _ . -。",
                            "Usernames are 3–32 lower-case letters, digits or _ . -."),
    "err.password_length": ("密码须为 8–72 个字符。", "Passwords are 8–72 characters."),
    "err.scope_required": ("社区协调员和志愿者必须指定社区。", "Coordinators and volunteers need a community."),
    "err.unknown_community": ("没有名为“{name}”的社区。", "There is no community called “{name}”."),
    "err.duplicate_community": ("已有名为“{name}”的社区。", "A community called “{name}” already exists."),
    "err.duplicate_username": ("用户名 {username} 已被使用。", "The username {username} is taken."),
    "err.cannot_deactivate_self": ("不能停用自己的账户。", "You cannot deactivate your own account."),
    # field names, for error lists
    "field.name": ("名称", "Name"),
    "field.district": ("区县", "District"),
    "field.kind": ("类型", "Type"),
    "field.households": ("户数", "Households"),
    "field.population": ("人口", "Population"),
    "field.lat": ("纬度", "Latitude"),
    "field.lon": ("经度", "Longitude"),
    "field.username": ("用户名", "Username"),
    "field.display_name": ("姓名", "Name"),
    "field.role": ("角色", "Role"),
    "field.community": ("社区", "Community"),
    "field.password": ("密码", "Password"),
    "field._": ("表单", "Form"),
}

# Feature areas register their own entries (same shape) through `extend`.


def extend(entries: dict[str, tuple[str, str]]) -> None:
    clash = set(entries) & set(CATALOGUE)
    if clash:
        raise KeyError(f"catalogue keys defined twice: {sorted(clash)}")
    CATALOGUE.update(entries)


class _Blank(dict):
    # A placeholder the caller did not fill renders empty, never as a KeyError on screen.
    def __missing__(self, key):
        return ""


def translate(key: str, lang: str, **params) -> str:
    zh, en = CATALOGUE.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format_map(_Blank(params)) if params else text


def lang() -> str:
    import streamlit as st

    return st.session_state.get("lang", DEFAULT_LANG)


def t(key: str, **params) -> str:
    return translate(key, lang(), **params)
