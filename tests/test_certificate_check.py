"""证书核验: a printed certificate checked by its code — by hand-computed hours, masked, with
reversals shown, case and dashes forgiven, guessing limited; the PDF carries the code and a QR
code Poppler sees; the page a QR code opens shows the answer without a click."""

import re
from datetime import date, datetime
import subprocess
import tempfile
from pathlib import Path

import pytest

from components.pdf import certificate_pdf
from db import clock
from db.certificates import CODE_SYMBOLS, code_text, new_code, verify
from db.errors import Conflict, NotFound
from db.ledger import reverse
from db.models import PUBLIC, Actor
from tests.conftest import new_app
from tests.test_pdfs import certified
from tests.viewers import poppler_text

pytestmark = pytest.mark.both_engines


def test_a_certificate_is_checked_by_its_code_and_shows_only_what_it_certifies(db):
    c, vid, cert = certified(db, [120, 90])  # 3.5 hours, by hand
    code = cert["verify_code"]
    assert len(code) == 12 and set(code) <= set(CODE_SYMBOLS)
    assert len({new_code() for _ in range(200)}) == 200  # random, not counted up
    typed = code_text(code).lower()  # as a person types it off the paper: K7QM-3xpa-…
    found = verify(db, PUBLIC, f" {typed} ")
    real_name = next(db.query("SELECT real_name FROM volunteers WHERE id = ?", [vid]))["real_name"]
    assert found["name"] == real_name[0] + "**" and real_name not in str(found)
    assert (found["total_minutes"], found["status"], found["number"]) == (210, "valid", cert["number"])
    assert found["community"] == "秋浦社区" and found["issued_on"] == clock.today().isoformat()
    assert not {"id_number", "phone", "id_masked", "address", "birth_date"} & set(found)
    # A record reversed after issue: the certificate still says 3.5, the check says the ledger holds 1.5.
    first = next(r["id"] for r in db.query(
        "SELECT id FROM service_records WHERE volunteer_id = ? AND minutes = 120", [vid]))
    reverse(db, c, first, "记错了")
    later = verify(db, PUBLIC, code)
    assert (later["status"], later["minutes_now"], later["total_minutes"]) == ("reduced", 90, 210)


@pytest.mark.parametrize("wrong", ["", "ZYFW-2026-000001", "K7QM-3XPA-W9R", "0000-0000-0000", "<script>"])
def test_a_wrong_code_gets_one_answer(db, wrong):
    certified(db, [60])
    with pytest.raises(NotFound) as exc:
        verify(db, PUBLIC, wrong)
    assert exc.value.key == "err.verify_not_found"


def test_codes_cannot_be_tried_one_after_another(db):
    certified(db, [60])
    stranger = Actor("public", "public", source="203.0.113.9")
    for _ in range(60):
        with pytest.raises(NotFound):
            verify(db, stranger, new_code())
    with pytest.raises(Conflict):
        verify(db, stranger, new_code())


def test_the_pdf_prints_the_code_and_a_qr_code_to_the_check(db):
    _, _, cert = certified(db, [60])
    pdf = certificate_pdf(cert, {"elderly": "助老"}, f"https://linli.example/verify?code={cert['verify_code']}")
    text = re.sub(r"\s", "", poppler_text(pdf, layout=False))
    assert "核验码：" + code_text(cert["verify_code"]) in text
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "c.pdf").write_bytes(pdf)
        images = subprocess.run(["pdfimages", "-list", str(Path(tmp) / "c.pdf")], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 3  # header, rule, the QR code
    assert "pages" not in text or poppler_text(pdf).count("\f") <= 1


def test_the_qr_codes_address_shows_the_answer_at_once_in_both_languages(app_env):
    from db.connection import connect

    new_app().run()
    db = connect(app_env, migrate=False)
    _, _, cert = certified(db, [150])
    at = new_app()
    at.query_params["code"] = code_text(cert["verify_code"])
    at.run()
    at.switch_page("app_pages/verify.py").run()
    assert at.text_input(key="verify.code").value == code_text(cert["verify_code"])
    assert any("有效" in s.value for s in at.success)
    listed = "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes
    assert "2.5 小时" in listed and "秋浦社区" in listed
    at.text_input(key="verify.code").input("AAAA-BBBB-CCCC")
    at.button(key="verify.submit").click().run()
    assert not at.success and "没有找到这个核验码" in "\n".join(e.value for e in at.error)


def test_a_revoked_certificate_says_so_and_cannot_be_revoked_twice(db):
    from db.errors import InputError
    from db.certificates import revoke

    c, _, cert = certified(db, [60])
    with pytest.raises(InputError):
        revoke(db, c, cert["id"], "  ")  # a reason is required
    assert verify(db, PUBLIC, cert["verify_code"])["status"] == "valid"
    with clock.frozen(datetime(2026, 5, 4, 10, 0)):
        revoke(db, c, cert["id"], "期间填错")
    found = verify(db, PUBLIC, cert["verify_code"])
    assert (found["status"], found["revoked_on"]) == ("revoked", "2026-05-04")
    assert "期间填错" not in str(found)  # the reason stays inside
    with pytest.raises(Conflict):
        revoke(db, c, cert["id"], "再撤一次")
    assert [r["action"] for r in db.query(
        "SELECT action FROM audit_log WHERE table_name = 'certificates' AND row_id = ? ORDER BY id", [str(cert["id"])])] \
        == ["issue", "revoke"]


def test_the_coordinator_revokes_a_certificate_on_the_volunteers_page(app_env):
    from db.certificates import issue_certificate
    from db.connection import connect
    from db.users import actor_for
    from tests.conftest import login

    new_app().run()
    db = connect(app_env, migrate=False)
    me = actor_for(db, "volunteer")
    cert = issue_certificate(db, me, me.volunteer_id, {"period_from": date(2026, 1, 1), "period_to": clock.today()})
    at = new_app().run()
    login(at, "coordinator")
    at.switch_page("app_pages/volunteers.py").run()
    pick = next(s for s in at.selectbox if s.label == "查看志愿者")
    pick.select_index(next(i for i, o in enumerate(pick.options) if "陈晓雨" in o)).run()
    form = f"cert_{me.volunteer_id}_revoke"
    at.text_input(key=f"{form}.reason").input("期间填错")
    at.button(key=f"{form}.submit").click().run()
    assert any("证明已撤销" in s.value for s in at.success)
    assert verify(db, PUBLIC, cert["verify_code"])["status"] == "revoked"
