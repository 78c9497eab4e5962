"""Which pages each role sees, derived from db.permissions' table: a page shows to the roles its
action allows (None: everyone). The navigation is rebuilt on every run, so a page a role may not
open is simply not there (and db/ refuses the data as well)."""

from dataclasses import dataclass

import streamlit as st

from components.i18n import t
from db.permissions import ROLES, roles_for


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    action: str | None  # the permission the page is for; None: open to everyone
    section: str  # catalogue key of the navigation section
    home_key: str | None = None  # one line on the home page saying what the page is for
    hidden: bool = False  # reached by an address (a QR code), not from the menu

    @property
    def roles(self) -> tuple[str, ...]:
        return ROLES if self.action is None else roles_for(self.action)


PAGES: list[PageSpec] = [
    PageSpec("app_pages/home.py", "page.home", ":material/home:", None, "nav.public"),
    PageSpec("app_pages/communities.py", "page.communities", ":material/location_city:", None,
             "nav.public", "home.link.communities"),
    PageSpec("app_pages/volunteer_signup.py", "page.signup", ":material/volunteer_activism:", "volunteers.sign_up",
             "nav.public", "home.link.signup"),
    PageSpec("app_pages/verify.py", "page.verify", ":material/verified:", None, "nav.public", "home.link.verify"),
    PageSpec("app_pages/activities.py", "page.activities", ":material/diversity_3:", None, "nav.volunteering",
             "home.link.activities"),
    PageSpec("app_pages/activities_manage.py", "page.activities_manage", ":material/qr_code_2:", "activities.manage",
             "nav.volunteering", "home.link.activities_manage"),
    PageSpec("app_pages/sign_in.py", "page.sign_in", ":material/qr_code_scanner:", None, "nav.volunteering",
             hidden=True),
    PageSpec("app_pages/my_volunteering.py", "page.my_volunteering", ":material/badge:", "volunteers.own",
             "nav.volunteering", "home.link.my_volunteering"),
    PageSpec("app_pages/volunteers.py", "page.volunteers", ":material/groups:", "volunteers.manage",
             "nav.volunteering", "home.link.volunteers"),
    PageSpec("app_pages/hours.py", "page.hours", ":material/schedule:", "hours.approve",
             "nav.volunteering", "home.link.hours"),
    PageSpec("app_pages/transfer.py", "page.transfer", ":material/swap_vert:", "volunteers.import",
             "nav.volunteering", "home.link.transfer"),
    PageSpec("app_pages/exchange.py", "page.exchange", ":material/handshake:", None, "nav.exchange",
             "home.link.exchange"),
    PageSpec("app_pages/exchange_manage.py", "page.exchange_manage", ":material/assignment_ind:",
             "needs.moderate", "nav.exchange", "home.link.exchange_manage"),
    PageSpec("app_pages/my_exchange.py", "page.my_exchange", ":material/savings:", "exchange.own", "nav.exchange",
             "home.link.my_exchange"),
    PageSpec("app_pages/directory.py", "page.directory", ":material/storefront:", None,
             "nav.life_circle", "home.link.directory"),
    PageSpec("app_pages/service_card.py", "page.service_card", ":material/contact_phone:", None,
             "nav.life_circle", "home.link.service_card"),
    PageSpec("app_pages/coverage.py", "page.coverage", ":material/radar:", "coverage.read",
             "nav.life_circle", "home.link.coverage"),
    PageSpec("app_pages/outlets_admin.py", "page.outlets_admin", ":material/edit_location_alt:",
             "outlets.manage", "nav.life_circle", "home.link.outlets_admin"),
    PageSpec("app_pages/daycare.py", "page.daycare", ":material/elderly:", None, "nav.daycare",
             "home.link.daycare"),
    PageSpec("app_pages/daycare_manage.py", "page.daycare_manage", ":material/event_available:",
             "daycare.manage", "nav.daycare", "home.link.daycare_manage"),
    PageSpec("app_pages/dashboard.py", "page.dashboard", ":material/monitoring:", "dashboard.read",
             "nav.dashboard", "home.link.dashboard"),
    PageSpec("app_pages/scorecard.py", "page.scorecard", ":material/leaderboard:", "scorecard.read",
             "nav.dashboard", "home.link.scorecard"),
    PageSpec("app_pages/surveys.py", "page.surveys", ":material/ballot:", "surveys.results",
             "nav.dashboard", "home.link.surveys"),
    PageSpec("app_pages/survey.py", "page.survey", ":material/rate_review:", None, "nav.public", hidden=True),
    PageSpec("app_pages/login.py", "page.login", ":material/login:", "account.sign_in", "nav.account"),
    PageSpec("app_pages/password.py", "page.password", ":material/password:", "account.password", "nav.account"),
    PageSpec("app_pages/users.py", "page.users", ":material/manage_accounts:", "users.manage", "nav.admin",
             "home.link.users"),
    PageSpec("app_pages/holidays.py", "page.holidays", ":material/event:", "calendar.edit", "nav.admin",
             "home.link.holidays"),
    PageSpec("app_pages/audit_log.py", "page.audit", ":material/history:", "audit.read", "nav.admin",
             "home.link.audit"),
]


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]


PASSWORD_PAGE = "app_pages/password.py"


def navigation(role: str, must_change_password: bool = False, waiting: dict[str, int] | None = None):
    """st.navigation for this role, grouped into sections in the current language; a page where
    things wait for this person says how many ("工时审核 · 待审核 3"). Someone who must change a
    password someone else chose gets that page only."""
    sections: dict[str, list] = {}
    specs = [p for p in pages_for(role) if p.path == PASSWORD_PAGE] if must_change_password else pages_for(role)
    for spec in specs:
        title = t(spec.title_key)
        if (waiting or {}).get(spec.path):
            title = t("nav.waiting", title=title, n=waiting[spec.path])
        page = st.Page(spec.path, title=title, icon=spec.icon, visibility="hidden" if spec.hidden else "visible",
                       default=spec.path == ("app_pages/home.py" if not must_change_password else PASSWORD_PAGE))
        sections.setdefault(t(spec.section), []).append(page)
    return st.navigation(sections, expanded=True)  # every page visible, no "view more"
