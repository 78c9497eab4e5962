"""The service card and the certificate as PDF viewers show them (Poppler and Ghostscript): every
cell printed, long cells wrapped inside their column, hours never rounded up, reversals not
counted as service."""

import io
import re
from datetime import timedelta

import qrcode

from components.pdf import CARD_COLUMNS, certificate_pdf, service_card_pdf
from db import clock
from db.certificates import certificate, issue_certificate
from db.ledger import approve, record_hours, reverse
from db.outlets import categories, service_card
from tests.test_volunteers_db import coordinator, person
from db.users import actor_for
from db.volunteers import register
from tests.viewers import ghostscript_text, poppler_pages, poppler_text, poppler_words


def qiupu_card(db):
    cid = next(db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"]
    card = service_card(db, cid)
    names = {c["code"]: c["name_zh"] for c in categories(db)}
    qr = io.BytesIO()
    qrcode.make("http://linli.example/directory?community=1").save(qr, format="PNG")
    return card, names, service_card_pdf(card, names, qr.getvalue(), "http://linli.example/directory?community=1")


def test_every_cell_of_the_service_card_prints_in_poppler_and_ghostscript(db):
    card, names, pdf = qiupu_card(db)
    assert poppler_pages(pdf) == 1
    text = poppler_text(pdf)
    lines = text.splitlines()
    for r in card["nearest"]:
        row = next(i for i, line in enumerate(lines) if r["name"] in line)
        phone = r["phones"].split(", ")[0] if r["phones"] else "—"
        assert phone in lines[row] and f"{r['distance_m']}米" in lines[row], (r["name"], lines[row])
        # The week's hours: every range whole (08:30–12:00 never split over two lines), in the cell's
        # lines under the name, never over the distance column.
        cell = "".join(line.split(r["name"])[-1] if n == 0 else line for n, line in enumerate(lines[row:row + 4]))
        for _, hours in r["week"]:
            for span in hours:
                assert span in cell or span == "00:00–24:00", (r["name"], span, cell)
    assert "全国统一：110 报警" in text and "12349" in text
    gs = re.sub(r"\s", "", ghostscript_text(pdf))
    assert all(re.sub(r"\s", "", r["name"]) in gs for r in card["nearest"])


def test_long_cells_wrap_inside_their_columns(db):
    card, names, _ = qiupu_card(db)
    long_row = {**card["nearest"][0], "category": "clinic", "name": "池州市贵池区秋浦街道社区卫生服务中心第二门诊部",
                "phones": "0566-2021234", "distance_m": 1234, "holiday": [],
                "week": [([1, 2, 3, 4, 5], ["07:00–09:00", "11:00–13:00", "17:00–19:00"]), ([6, 7], [])]}
    card = {**card, "nearest": [long_row, *card["nearest"]]}
    qr = io.BytesIO()
    qrcode.make("x").save(qr, format="PNG")
    pdf = service_card_pdf(card, names, qr.getvalue(), "x")
    # The table's columns in points: 16 mm margin, then the card's columns (as a ruler would measure).
    mm = 72 / 25.4
    edges = [16 * mm]
    for width in CARD_COLUMNS:
        edges.append(edges[-1] + width * mm)
    header_y = next(y for w, x, y, _, _ in poppler_words(pdf) if w == "类别")
    words = [w for w in poppler_words(pdf) if w[2] > header_y and w[1] >= edges[0] - 1 and w[3] <= edges[-1] + 30]
    words = [w for w in words if w[2] < header_y + 400]
    assert words
    for text, x0, _, x1, _ in words:
        column = next(i for i in range(5) if edges[i] - 1 <= x0 < edges[i + 1])
        assert x1 <= edges[column + 1] + 0.5, (text, x0, x1, edges[column + 1])
    text = poppler_text(pdf)
    assert "池州市" in text and "门诊部" in text and "17:00–19:00" in text and "1234米" in text


def certified(db, minutes_list, reverse_first=False):
    c = coordinator(db)
    vid = register(db, c, person(db, 21))
    ids = []
    for n, minutes in enumerate(minutes_list):
        ids += record_hours(db, c, {"volunteer_ids": [vid], "activity": f"活动{n}", "minutes": minutes,
                                    "service_date": clock.today() - timedelta(days=n + 1), "category": "elderly"})
    approve(db, actor_for(db, "admin"), ids)
    if reverse_first:
        reverse(db, c, ids[0], "记错了")
    period = {"period_from": clock.today() - timedelta(days=60), "period_to": clock.today()}
    return c, vid, issue_certificate(db, c, vid, period)


def test_99_hours_59_minutes_is_not_100_hours(db):
    _, _, cert = certified(db, [1440, 1440, 1440, 1440, 239])  # 5999 minutes: 99 h 59 min
    assert cert["total_minutes"] == 5999
    text = re.sub(r"\s", "", poppler_text(certificate_pdf(cert, {"elderly": "助老"}), layout=False))
    assert "累计志愿服务时长99.9小时" in text and "100.0" not in text


def test_a_reversed_record_is_not_counted_and_the_certificate_is_frozen(db):
    c, vid, cert = certified(db, [120, 60], reverse_first=True)
    assert cert["total_minutes"] == 60
    assert cert["by_category"] == [{"category": "elderly", "minutes": 60, "records": 1}]
    text = poppler_text(certificate_pdf(cert, {"elderly": "助老"}))
    assert re.search(r"助老\s+1\.0\s+1\b", text)
    # A later reversal does not change what the issued certificate says.
    later = next(r["id"] for r in db.query(
        "SELECT id FROM service_records WHERE volunteer_id = ? AND minutes = 60 AND reverses_id IS NULL", [vid]))
    reverse(db, c, later, "又记错了")
    assert certificate(db, cert["id"])["by_category"] == cert["by_category"]
