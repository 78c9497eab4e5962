"""Who may do what (DESIGN.md, Roles). Every db write calls one of these before touching a row."""

from db.errors import PermissionDenied
from db.models import Actor


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied("err.permission")


def require_admin(actor: Actor) -> None:
    require_role(actor, "admin")


def require_community(actor: Actor, community_id: int | None) -> None:
    """Admins act anywhere; coordinators only inside their own community; nobody else writes."""
    if actor.role == "admin":
        return
    if actor.role == "coordinator" and community_id is not None and actor.community_id == community_id:
        return
    raise PermissionDenied("err.outside_community")


def community_scope(actor: Actor) -> int | None:
    """The community a reader is limited to for personal data (None: whole city).
    Leaders read aggregates only, so they get no personal rows at all."""
    if actor.role == "admin":
        return None
    if actor.role == "coordinator":
        return actor.community_id
    raise PermissionDenied("err.permission")
