"""Read a PDF the way people's viewers do: Poppler (pdftotext, pdftoppm) and Ghostscript, never
our own PDF library. Locally the checks skip when the tools are missing; in CI they must run."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import in_ci


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if in_ci():
            pytest.fail(f"{name} is required in CI (Debian's poppler-utils / ghostscript)")
        pytest.skip(f"{name} not installed")
    return path


def _run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    # Poppler reports a text run without a font ("No font in show") on stderr and goes on: a
    # viewer would print an empty cell there, so any complaint fails the check.
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return done.stdout


def poppler_text(pdf: bytes, layout: bool = True) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return _run([_tool("pdftotext"), *(["-layout"] if layout else []), str(path), "-"])


def poppler_pages(pdf: bytes, dpi: int = 50) -> int:
    """Render every page to PNG (as a viewer draws it); returns how many pages were drawn."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        _run([_tool("pdftoppm"), "-r", str(dpi), "-png", str(path), str(Path(tmp) / "page")])
        return len(list(Path(tmp).glob("page*.png")))


def ghostscript_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        done = subprocess.run([_tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite",
                               "-sOutputFile=-", str(path)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "Error" not in done.stderr and "error" not in done.stdout.lower()[:200], done.stderr
        return done.stdout


def poppler_words(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """Every word Poppler finds with its box in points: (text, x_min, y_min, x_max, y_max)."""
    import html
    import re

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = _run([_tool("pdftotext"), "-bbox", str(path), "-"])
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, out)]


def qr_codes(pdf: bytes, dpi: int = 150) -> list[str]:
    """The QR codes a phone would read off the printed pages (Poppler draws them, zxing-cpp reads
    them), page by page, top to bottom then left to right."""
    import zxingcpp
    from PIL import Image

    found = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        _run([_tool("pdftoppm"), "-r", str(dpi), "-png", str(path), str(Path(tmp) / "page")])
        for page in sorted(Path(tmp).glob("page*.png")):
            codes = zxingcpp.read_barcodes(Image.open(page), formats=zxingcpp.BarcodeFormat.QRCode)
            found += [c.text for c in sorted(codes, key=lambda c: (round(c.position.top_left.y / 50), c.position.top_left.x))]
    return found
