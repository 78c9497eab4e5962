"""CSV and XLSX in and out. Exports neutralise formula cells; imports refuse what they cannot read."""

import csv
import io
import unicodedata
from datetime import date

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from db.archive import open_zip
from db.errors import LinliError
from db.importing import ROW

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell starting with = + - @ (or tab/CR) is prefixed with ' so no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise(v) for k, v in row.items()})
    # utf-8 with BOM: Excel in China opens it with the right encoding.
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict], sheet: str = "Linli") -> bytes:
    """A workbook an office can use at once: dates as dates, columns wide enough for their text,
    the header frozen and filterable."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    if rows:
        ws.append(list(rows[0]))
        for row in rows:
            ws.append([_as_date(v) for v in (neutralise(v) for v in row.values())])
        for n, header in enumerate(rows[0], start=1):
            letter = get_column_letter(n)
            longest = max([_display_width(header)] + [_display_width(r[header]) for r in rows[:500]])
            ws.column_dimensions[letter].width = min(60, max(8, longest + 2))
            if any(isinstance(c.value, date) for c in ws[letter][1:50]):
                for cell in ws[letter][1:]:
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _as_date(value):
    """An ISO day (2026-03-05) becomes a real date cell, so Excel sorts and filters it as one."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _display_width(value) -> int:
    """Columns as Excel measures them: a Chinese character is two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def read_table(filename: str, content: bytes) -> list[dict]:
    """Rows of an uploaded .csv or .xlsx as dicts of stripped text, each with its row number as the
    spreadsheet shows it (ROW). The header is the first row with two or more filled cells, so a
    merged title row above it ("秋浦社区志愿者名册") and blank lines are passed over."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise LinliError("err.file_too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            lines = _csv_lines(content)
        elif name.endswith(".xlsx"):
            lines = _xlsx_lines(content)
        else:
            raise LinliError("err.file_type")
        return _with_header(lines)
    except LinliError:
        raise
    except Exception as exc:  # a malformed file of any kind: say so, never a traceback
        raise LinliError("err.file_unreadable", detail=type(exc).__name__) from exc


def _with_header(lines) -> list[dict]:
    header, rows = None, []
    for number, values in lines:
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            if sum(1 for c in cells if c) >= 2 or len(cells) == 1:
                header = [unicodedata.normalize("NFKC", c).replace(" ", "").lstrip("*") for c in cells]
            continue
        if len(rows) >= MAX_ROWS:  # counted while reading: a huge file is refused before it is held
            raise LinliError("err.file_too_many_rows", max=MAX_ROWS)
        row = {k: v for k, v in zip(header, cells) if k}
        row[ROW] = number
        rows.append(row)
    if header is None:
        raise LinliError("err.file_empty")
    return rows


def decode_text(content: bytes) -> str:
    """Text as Chinese offices save it: UTF-8 (with or without BOM) or GBK/GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LinliError("err.file_unreadable", detail="encoding")


def _csv_lines(content: bytes):
    # csv.reader counts physical lines through quoted newlines, so line_num is the editor's row.
    reader = csv.reader(io.StringIO(decode_text(content)))
    for values in reader:
        yield reader.line_num, values


def _xlsx_lines(content: bytes):
    open_zip(content)  # an .xlsx is a zip: its parts' sizes are checked before openpyxl unpacks any
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        cells = [c for c in row if c.value is not None]
        if cells:
            yield cells[0].row, [c.value for c in row if hasattr(c, "value")]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M") if type(value).__name__ == "time" else value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)) and abs(value) >= 1e15:
        # Excel keeps 15 significant digits: an ID number stored as a number has lost its last
        # digits. Show it the way Excel does, so the import can say why it is refused.
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def template_xlsx(headers: list[str], sheet: str) -> bytes:
    """An empty workbook with the import's headers; every column is text, so Excel keeps all 18
    digits of an ID number and the leading 0 of a landline."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(headers)
    for n, header in enumerate(headers, start=1):
        letter = ws.cell(row=1, column=n).column_letter
        ws.column_dimensions[letter].width = max(12, 2.2 * len(header))
        for r in range(2, 502):
            ws.cell(row=r, column=n).number_format = "@"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
