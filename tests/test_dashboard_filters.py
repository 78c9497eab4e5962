"""Every dashboard chart honours every filter. The oracle is arithmetic, not our own output: the
five districts' figures add up to the city's, a district's communities to the district's, the
categories to "all", two halves of a period to the whole — and a part is never the whole. A
chart the filter cannot narrow (star levels have no period, outlets no service category) gives
the same figures for every part and says so when a category is chosen."""

import functools
from datetime import date

import pytest

from components.dashboard import sections
from catalogue import translate
from db.connection import connect
from db.dashboard import Scope
from db.models import DISTRICTS
from seed.demo import seed_demo

PERIOD = (date(2026, 1, 1), date(2026, 11, 27))
HALVES = [(date(2026, 1, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 11, 27))]
# The column each chart's parts must add up in (catalogue key of its header), for the filters
# that narrow it; "same" where the filter cannot apply.
ADDS_UP = {"hours_by_month": "lab.hours", "hours_by_area": "lab.hours", "active_by_area": "lab.hours",
           "stars": "lab.volunteers", "registrations": "lab.registrations", "funnel": "lab.needs",
           "time_to_claim": "lab.needs", "coverage": "lab.outlets", "attendance": "lab.attended"}
SAME = {"period": {"stars", "coverage"}, "category": sections.ALL_CATEGORIES}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    path = tmp_path_factory.mktemp("city") / "linli.db"
    seed_demo(connect(path))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LINLI_DB_PATH", str(path))
        yield str(path)


@functools.lru_cache(maxsize=None)
def charts(city, scope: Scope) -> dict[str, sections.Chart]:
    names = {c: c for c in sections.category_names()}
    made = {}
    for name in sections.SECTIONS:
        made.update({c.key: c for c in sections.build(name, scope, city, names)})
    return made


def total(chart: sections.Chart | None) -> float:
    if chart is None:  # no data in this part: nothing to add
        return 0.0
    column = translate(ADDS_UP[chart.key], "zh")
    year_ago = translate("lab.year_ago", "zh")
    return round(sum(r[column] or 0 for r in chart.table if not r.get(year_ago)), 6)


def parts(filter_name: str, categories) -> tuple[Scope, list[Scope]]:
    if filter_name == "district":
        return Scope(*PERIOD), [Scope(*PERIOD, district=d) for d in DISTRICTS]
    if filter_name == "community":
        from db.communities import list_communities
        import os

        ids = [c["id"] for c in list_communities(connect(os.environ["LINLI_DB_PATH"], migrate=False))
               if c["district"] == "东至县"]
        return Scope(*PERIOD, district="东至县"), [Scope(*PERIOD, community_id=i) for i in ids]
    if filter_name == "category":
        return Scope(*PERIOD), [Scope(*PERIOD, category=c) for c in categories]
    return Scope(*PERIOD), [Scope(*half) for half in HALVES]


@pytest.mark.parametrize("filter_name", ["district", "community", "category", "period"])
@pytest.mark.parametrize("chart", sorted(ADDS_UP))
def test_the_parts_add_up_to_the_whole(city, filter_name, chart):
    whole_scope, part_scopes = parts(filter_name, list(sections.category_names()))
    whole = charts(city, whole_scope)
    assert chart in whole, f"the demo city has no {chart} chart for the whole"
    each = [charts(city, s).get(chart) for s in part_scopes]
    if chart in SAME.get(filter_name, ()):
        assert {total(c) for c in each} == {total(whole[chart])}
        if filter_name == "category":
            assert all(c.reading.endswith(translate("db.every_category", "zh")) for c in each)
        return
    if chart == "time_to_claim":  # a category nobody claimed in a part has no median, and no row
        assert sum(total(c) for c in each) <= total(whole[chart])
    else:
        assert sum(total(c) for c in each) == pytest.approx(total(whole[chart]))
    assert any(total(c) != total(whole[chart]) for c in each), "a part gave the whole city's figure"


@pytest.mark.parametrize("filter_name", ["district", "community"])
def test_centres_and_gaps_stay_inside_the_place(city, filter_name):
    import os

    from db.communities import list_communities

    db = connect(os.environ["LINLI_DB_PATH"], migrate=False)
    whole_scope, part_scopes = parts(filter_name, [])
    for s in part_scopes:
        made = charts(city, s)
        inside = {c["name"] for c in list_communities(db)
                  if c["id"] == s.community_id or (s.district and c["district"] == s.district)}
        centres = {r["centre"] for r in db.query(
            "SELECT d.name AS centre FROM daycare_centres d JOIN communities c ON c.id = d.community_id"
            " WHERE c.name IN (SELECT value FROM json_each(?))", [__import__("json").dumps(sorted(inside))])}
        community = translate("db.community", "zh")
        for chart in ("occupancy", "attendance"):
            if chart in made:
                assert {r[translate("lab.centre", "zh")] for r in made[chart].table} <= centres
        if "gaps" in made:
            assert {r[community] for r in made["gaps"].table} <= inside
