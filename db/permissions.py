"""Who may do what (DESIGN.md, Roles): one table of action × role → scope, and one entry point.

Every db function that reads personal data or writes calls `require` (or `community_filter` for
a list) with what it acts on; the navigation shows a page to the roles its action allows. A role
missing from an action's row may not do it at all. The scope says which targets it may touch:

  CITY       any target in the city
  COMMUNITY  targets in the actor's own community
  OWN        the actor's own volunteer record and what hangs on it (their hours, claims, balance)
  CITY_VIEW  the city as a whole or the actor's own community, never another one on its own
             (a coordinator's dashboard compares their community with the city)
"""

from enum import Enum

from db.errors import PermissionDenied
from db.models import ROLES as ACCOUNT_ROLES
from db.models import Actor


class Scope(Enum):
    """How far a role reaches for an action. Not a string: scopes compare only for equality."""
    CITY = "city"
    COMMUNITY = "community"
    OWN = "own"
    CITY_VIEW = "city_view"


CITY, COMMUNITY, OWN, CITY_VIEW = Scope.CITY, Scope.COMMUNITY, Scope.OWN, Scope.CITY_VIEW
ROLES = ("public", *ACCOUNT_ROLES)  # everyone: the public has no account
STAFF = {"coordinator": COMMUNITY, "admin": CITY}  # the community's coordinator, or an admin anywhere
SIGNED_IN = {"volunteer": OWN, "coordinator": OWN, "leader": OWN, "admin": OWN}
EVERYONE = {"public": CITY, "volunteer": CITY, "coordinator": CITY, "leader": CITY, "admin": CITY}

RULES: dict[str, dict[str, Scope]] = {
    # accounts and the city's reference data
    "account.sign_in": {"public": CITY},
    "account.password": SIGNED_IN,
    "users.manage": {"admin": CITY},
    "audit.read": {"admin": CITY},
    "calendar.edit": {"admin": CITY},
    "communities.edit": {"admin": CITY},
    "settings.edit": {"admin": CITY},  # star thresholds and other city-wide rules
    # volunteers and the ledger
    "volunteers.sign_up": {"public": CITY},
    "volunteers.own": {"volunteer": OWN},  # my record, my hours, my certificates, my family
    "volunteers.manage": STAFF,  # register, approve sign-ups, edit, deactivate, transfer
    "volunteers.read": {**STAFF, "volunteer": OWN},
    "volunteers.import": STAFF,  # spreadsheets in and out
    "hours.record": {**STAFF, "volunteer": OWN},  # a volunteer self-reports their own
    "hours.approve": STAFF,  # approve, reject, reverse
    "hours.read": {**STAFF, "volunteer": OWN},
    "certificates.issue": {**STAFF, "volunteer": OWN},
    "certificates.revoke": STAFF,  # one issued in error: the issuing community's coordinator, or an admin
    "timebank.read": {**STAFF, "volunteer": OWN},
    # volunteer activities: published for everyone to read; a volunteer joins their community's
    "activities.manage": STAFF,  # publish, cancel, add people, the roster, tick by hand, the QR code, approve
    "activities.join": {**STAFF, "volunteer": OWN},  # 报名 and cancel: one's own, or staff for their community
    "activities.sign_in": {"volunteer": OWN},  # 签到/签退 by scanning the code on site: one's own
    # the service exchange
    "needs.post": {"public": CITY, "volunteer": COMMUNITY, **STAFF},  # the public's wait for moderation
    "needs.for_family": {"volunteer": OWN},  # a need for a family member the volunteer registered
    "needs.moderate": STAFF,  # publish or reject, see pending posts, suggest volunteers
    "needs.claim": {**STAFF, "volunteer": OWN},  # a volunteer claims; staff assign
    "needs.progress": {**STAFF, "volunteer": OWN},  # release or mark done: the claimer, or staff
    "needs.confirm": {**STAFF, "volunteer": OWN},  # staff, or the volunteer who paid from their time bank
    "needs.cancel": {**STAFF, "volunteer": OWN},  # staff, or the volunteer who posted it
    "needs.contacts": {**STAFF, "volunteer": OWN},  # the requester's phone and address: staff, claimer, redeemer
    "exchange.own": {"volunteer": OWN},  # my claims, my offers, my balance
    # residents' voice: ratings of confirmed needs, surveys, the scorecard (考核)
    # the resident (the public, proving it theirs by the phone it was posted with), the volunteer who
    # posted it, or staff entering it for the resident (marked on_behalf)
    "needs.rate": {"public": CITY, "volunteer": OWN, **STAFF},
    "ratings.manage": STAFF,  # read the comments, share one with the volunteer
    "ratings.read": {**STAFF, "volunteer": OWN},  # a volunteer's average and the comments shared
    "surveys.manage": {"leader": CITY, "admin": CITY},  # define, open, withdraw
    "surveys.codes": {**STAFF, "leader": CITY},  # print answer slips for a community
    "surveys.answer": EVERYONE,  # with a slip's one-time code
    "surveys.results": {"coordinator": COMMUNITY, "leader": CITY, "admin": CITY},  # aggregates
    "surveys.raw": {"admin": CITY},  # each answer as given, free text included
    "scorecard.read": {"coordinator": CITY_VIEW, "leader": CITY, "admin": CITY},
    # the directory
    "outlets.manage": STAFF,  # edit, verify, settle residents' corrections
    "outlets.report": EVERYONE,  # 信息有误？: anyone reports, rate-limited
    "coverage.read": {"coordinator": CITY, "leader": CITY, "admin": CITY},
    # day care
    "daycare.manage": STAFF,
    # the leaders' dashboard (aggregates only)
    "dashboard.read": {"coordinator": CITY_VIEW, "leader": CITY, "admin": CITY},
}

# What a refused OWN target is told, where a plainer sentence than err.permission exists.
OWN_REFUSAL = {"hours.record": "err.own_hours_only", "needs.progress": "err.not_your_claim",
               "needs.for_family": "err.not_your_family"}


def roles_for(action: str) -> tuple[str, ...]:
    """The roles that may do an action at all (the navigation's page list)."""
    return tuple(r for r in ROLES if r in RULES[action])


def scope(actor: Actor, action: str) -> Scope:
    """The actor's scope for an action; refused outright when their role has none."""
    found = RULES[action].get(actor.role)
    if found is None:
        raise PermissionDenied("err.permission")
    return found


def require_any(actor: Actor, action: str) -> None:
    """Refuse when the actor's role may not do the action anywhere (before any target is known:
    an import's preview, a page)."""
    scope(actor, action)


def require(actor: Actor, action: str, community_id: int | None = None, volunteer_id: int | None = None,
            author: str | None = None, city: bool = False) -> None:
    """Refuse unless the actor may do `action` to a target in `community_id` that belongs to
    volunteer `volunteer_id` or was created by the user `author` (or, with city=True, to the
    city as a whole). Pass what the target has; the table decides what matters for the role."""
    found = scope(actor, action)
    if found is CITY:
        return
    if found is OWN:
        mine = (volunteer_id is not None and volunteer_id == actor.volunteer_id) or \
            (author is not None and actor.user_id is not None and author == actor.username)
        if not mine:
            raise PermissionDenied(OWN_REFUSAL.get(action, "err.permission"))
        return
    if found is CITY_VIEW and city:
        return
    if community_id is None or actor.community_id is None or community_id != actor.community_id:
        raise PermissionDenied("err.outside_community")


def may(actor: Actor, action: str, community_id: int | None = None, volunteer_id: int | None = None,
        author: str | None = None) -> bool:
    """require() as a question, for what a reader is shown rather than refused."""
    try:
        require(actor, action, community_id, volunteer_id, author)
    except PermissionDenied:
        return False
    return True


def community_sql(actor: Actor, action: str, column: str) -> tuple[str, list]:
    """SQL for "rows of `column`'s community on which the actor may do `action`"."""
    found = RULES[action].get(actor.role)
    if found is CITY:
        return "1=1", []
    if found is COMMUNITY and actor.community_id is not None:
        return f"{column} = ?", [actor.community_id]
    return "0=1", []


def community_filter(actor: Actor, action: str, community_id: int | None = None) -> int | None:
    """For a list of personal rows: the community to restrict it to (None: the whole city, or
    the community asked for). Coordinators get their own; asking for another is refused."""
    found = scope(actor, action)
    if found is CITY:
        return community_id
    if found is COMMUNITY:
        if community_id not in (None, actor.community_id):
            raise PermissionDenied("err.outside_community")
        return actor.community_id
    raise PermissionDenied("err.permission")  # OWN readers use their own functions, not lists
