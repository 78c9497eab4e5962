"""Zip files from strangers (HSDS packages, .xlsx workbooks): sizes, counts and compression
ratios are checked from the directory before anything is decompressed, so a small file that
unpacks to gigabytes is refused unread."""

import io
import zipfile

from db.errors import LinliError

MAX_MEMBERS = 200  # an .xlsx has a dozen parts; an HSDS package a dozen CSV files
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
MAX_RATIO = 100  # CSV and XML compress 5–20×; hundreds or thousands to one is a bomb


def open_zip(content: bytes) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(content))
        members = [m for m in z.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LinliError("err.file_unreadable", detail=type(exc).__name__) from exc
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_TOTAL_BYTES or any(
            m.file_size > MAX_MEMBER_BYTES or m.file_size > MAX_RATIO * max(m.compress_size, 1024) for m in members):
        raise LinliError("err.zip_too_large", mb=MAX_TOTAL_BYTES // (1024 * 1024))
    return z
