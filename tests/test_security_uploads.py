"""Uploads from strangers: a workbook or HSDS zip that unpacks to far more than it weighs is refused
before anything is unpacked; encrypted, truncated or foreign files end in a sentence, never a
traceback; a sheet's rows are counted while reading. (HSDS content itself: tests/test_hsds.py.)"""

import io
import zipfile

import pytest

from components.spreadsheet import MAX_ROWS, read_table
from db import hsds
from db.errors import LinliError


def bomb(name: str, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "<c>" + "0" * 30_000_000 + "</c>")  # 30 MB of XML in a few dozen KB
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_before_openpyxl_unpacks_it():
    content = bomb("x.xlsx", "xl/sharedStrings.xml")
    assert len(content) < 100_000
    with pytest.raises(LinliError) as exc:
        read_table("名单.xlsx", content)
    assert exc.value.key == "err.zip_too_large"


def test_an_encrypted_or_broken_member_is_a_message():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("locations.csv", "id,name\n1,a\n")
    data = bytearray(out.getvalue())
    data[6] |= 0x1  # the "encrypted" flag in the local header
    data[data.rfind(b"PK\x01\x02") + 8] |= 0x1  # and in the central directory
    with pytest.raises(LinliError) as exc:
        hsds.read_tables(bytes(data))
    assert exc.value.key == "err.file_unreadable"
    with pytest.raises(LinliError) as exc:
        read_table("x.xlsx", out.getvalue()[:40])  # truncated
    assert exc.value.key == "err.file_unreadable"


def test_rows_are_counted_while_reading():
    text = "姓名,手机\n" + "张三,13900000000\n" * (MAX_ROWS + 1)
    with pytest.raises(LinliError) as exc:
        read_table("x.csv", text.encode())
    assert exc.value.key == "err.file_too_many_rows"


@pytest.mark.parametrize("name, content", [("x.pdf", b"%PDF-1.4"), ("x.csv", b"\xff\xfe\x00\x00garbage\x80\x81"),
                                           ("x.xlsx", b"not a zip at all")])
def test_foreign_files_are_refused_with_a_reason(name, content):
    with pytest.raises(LinliError) as exc:
        read_table(name, content)
    assert exc.value.key in ("err.file_type", "err.file_unreadable", "err.file_empty")
