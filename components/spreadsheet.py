"""CSV and XLSX in and out. Exports neutralise formula cells; imports refuse what they cannot read."""

import csv
import io

from openpyxl import Workbook, load_workbook

from db.errors import LinliError

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
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    if rows:
        ws.append(list(rows[0]))
        for row in rows:
            ws.append([neutralise(v) for v in row.values()])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_table(filename: str, content: bytes) -> list[dict]:
    """Rows of an uploaded .csv or .xlsx as dicts of stripped text (first row = headers)."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise LinliError("err.file_too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            rows = _read_csv(content)
        elif name.endswith(".xlsx"):
            rows = _read_xlsx(content)
        else:
            raise LinliError("err.file_type")
    except LinliError:
        raise
    except Exception as exc:  # a malformed file of any kind: say so, never a traceback
        raise LinliError("err.file_unreadable", detail=type(exc).__name__) from exc
    if len(rows) > MAX_ROWS:
        raise LinliError("err.file_too_many_rows", max=MAX_ROWS)
    return rows


def _read_csv(content: bytes) -> list[dict]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LinliError("err.file_unreadable", detail="encoding")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise LinliError("err.file_empty")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def _read_xlsx(content: bytes) -> list[dict]:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if not header:
        raise LinliError("err.file_empty")
    keys = [str(h).strip() if h is not None else "" for h in header]
    rows = []
    for values in it:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append({k: _cell_text(v) for k, v in zip(keys, values) if k})
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M") if type(value).__name__ == "time" else value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
