"""What waits for someone's decision, counted for the navigation ("待审核 3"): hours to approve,
sign-ups to review, residents' posts to moderate, attendance to credit, corrections to settle. Each count is an indexed
COUNT in the person's own scope (the permission table's), so it costs little on every run even at
city scale."""

from sqlite_utils import Database

from db.models import Actor
from db.permissions import community_sql

# page → (the action whose scope counts, the SQL counting what waits in a scope)
WAITING = {
    "app_pages/hours.py": ("hours.approve", "SELECT COUNT(*) FROM service_records WHERE status = 'pending' AND {scope}"),
    "app_pages/volunteers.py": ("volunteers.manage", "SELECT COUNT(*) FROM volunteers WHERE status = 'pending' AND {scope}"),
    "app_pages/exchange_manage.py": ("needs.moderate",
                                     "SELECT COUNT(*) FROM service_requests WHERE status = 'pending' AND {scope}"),
    # volunteers who came and are not yet credited: no 签退 yet, or waiting for the batch approval
    "app_pages/activities_manage.py": ("activities.manage",
                                       "SELECT COUNT(*) FROM activity_signups WHERE signed_in_at IS NOT NULL"
                                       " AND record_id IS NULL AND activity_id IN (SELECT id FROM activities WHERE {scope})"),
    # residents' reports that an outlet's entry is wrong (idx_corrections_queue)
    "app_pages/outlets_admin.py": ("outlets.manage",
                                   "SELECT COUNT(*) FROM outlet_corrections WHERE status = 'pending' AND {scope}"),
}


def waiting(db: Database, actor: Actor) -> dict[str, int]:
    """Page path → how many items wait there for this actor (pages with nothing waiting left out)."""
    counts = {}
    for path, (action, sql) in WAITING.items():
        scope, params = community_sql(actor, action, "community_id")
        if scope == "0=1":
            continue
        n = db.execute(sql.format(scope=scope), params).fetchone()[0]
        if n:
            counts[path] = n
    return counts
