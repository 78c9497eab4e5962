"""PDF documents with Chinese text: fpdf2 with the bundled DejaVu Sans (Latin) and Droid Sans
Fallback (Chinese, which has no Latin glyphs of its own).

fpdf2's own fallback fonts lose the font selection between cells (py-pdf/fpdf2#1772: Poppler says
"No font in show" and viewers print empty cells), so text is written here as runs, each with its
font set explicitly; cells wrap (tables) or shrink (headings) instead of overflowing."""

import io
from functools import lru_cache
from pathlib import Path

import qrcode
from fontTools.ttLib import TTFont
from fpdf import FPDF

from catalogue import translate
from components.numbers import hours_text
from components.opening_text import week_text
from db.certificates import code_text

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
LATIN_FONT = FONTS / "DejaVuSans.ttf"
CJK_FONT = FONTS / "DroidSansFallbackFull.ttf"
LATIN, HAN = "latin", "han"


@lru_cache(maxsize=1)
def _latin_chars() -> frozenset[int]:
    return frozenset(TTFont(str(LATIN_FONT), lazy=True).getBestCmap())


def runs(text: str) -> list[tuple[str, str]]:
    """The text cut into (font, piece): DejaVu for what it has, Droid Sans Fallback for the rest."""
    latin, out = _latin_chars(), []
    for ch in text:
        family = LATIN if ord(ch) in latin else HAN
        if out and out[-1][0] == family:
            out[-1] = (family, out[-1][1] + ch)
        else:
            out.append((family, ch))
    return out


class Document(FPDF):
    """An A4 document that writes mixed Chinese and Latin text safely."""

    def __init__(self, footer=None):
        super().__init__(format="A4")
        self.footer_line = footer  # page number -> the line printed at the foot of that page
        self.add_font(LATIN, fname=str(LATIN_FONT))
        self.add_font(HAN, fname=str(CJK_FONT))
        self.size = 12.0
        self.set_font(LATIN, size=self.size)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    def footer(self) -> None:
        if self.footer_line:
            size = self.size
            text = self.footer_line(self.page_no())
            self._put((self.w - self.width(text, 9)) / 2, self.h - 12, 6, text, 9)
            self.font_size(size)

    def font_size(self, size: float) -> None:
        self.size = size
        self.set_font(LATIN, size=size)

    def width(self, text: str, size: float | None = None) -> float:
        total = 0.0
        for family, piece in runs(text):
            self.set_font(family, size=size or self.size)
            total += self.get_string_width(piece)
        return total

    def _put(self, x: float, y: float, h: float, text: str, size: float) -> None:
        """One line of text at (x, y), every run with its font."""
        self.set_xy(x, y)
        for family, piece in runs(text):
            self.set_font(family, size=size)
            self.cell(self.get_string_width(piece), h, piece, new_x="RIGHT", new_y="TOP")

    def line_cell(self, w: float, h: float, text: str, border: bool = False, align: str = "L",
                  new_line: bool = False, min_size: float = 7) -> None:
        """One line in a box of width w (0: to the right margin); too long a text shrinks to fit."""
        x, y = self.get_x(), self.get_y()
        w = w or (self.w - self.r_margin - x)
        room = w - 2 * self.c_margin
        size = self.size
        while size > min_size and self.width(text, size) > room:
            size -= 0.5
        if border:
            self.rect(x, y, w, h)
        used = self.width(text, size)
        left = x + {"L": 0, "C": (w - used) / 2 - self.c_margin, "R": w - used - 2 * self.c_margin}[align]
        self._put(left, y, h, text, size)
        self.set_font(LATIN, size=self.size)
        if new_line:
            self.set_xy(self.l_margin, y + h)
        else:
            self.set_xy(x + w, y)

    def wrap(self, text: str, width: float, size: float | None = None) -> list[str]:
        """Lines no wider than `width`: Chinese breaks anywhere, a Latin word (a phone number, a
        time range such as 08:30–12:00) or a clause just begun moves to the next line whole when it
        fits there."""
        lines = []
        for paragraph in text.split("\n"):
            line = ""
            for ch in paragraph:
                # Chinese punctuation never starts a line (避头点): it may hang past the edge.
                if line and self.width(line + ch, size) > width and ch not in "；，、。：）》”":
                    cut = max(line.rfind(" "), line.rfind("、"), line.rfind("，"), line.rfind("；"))
                    word = line[cut + 1:]
                    # A clause just begun after "；" (节假日休息) moves whole too, rather than 节 | 假日.
                    whole = _latin(word + ch) or (line[cut] == "；" and len(word) <= 6)
                    if 0 < cut and word and whole and self.width(word + ch, size) <= width:
                        lines.append(line[:cut + 1].rstrip())
                        line = word
                    else:
                        lines.append(line)
                        line = ""
                line += ch
            lines.append(line)
        return lines

    def paragraph(self, w: float, h: float, text: str, align: str = "L") -> None:
        """Wrapped text from the current position; ends at the left margin below it."""
        x = self.get_x()
        w = w or (self.w - self.r_margin - x)
        for line in self.wrap(text, w - 2 * self.c_margin):
            if self.get_y() + h > self.h - self.b_margin:
                self.add_page()
            self.set_x(x)
            self.line_cell(w, h, line, align=align)
            self.set_xy(x, self.get_y() + h)
        self.set_x(self.l_margin)

    def table(self, widths: tuple[float, ...], rows: list[tuple[str, ...]], h: float,
              aligns: tuple[str, ...] | None = None, header: bool = True) -> None:
        """Bordered rows whose cells wrap; a row is as tall as its longest cell."""
        aligns = aligns or ("L",) * len(widths)
        left = self.get_x()
        for n, row in enumerate(rows):
            cells = [self.wrap(str(text), width - 2 * self.c_margin) for text, width in zip(row, widths)]
            height = h * max(len(c) for c in cells)
            if self.get_y() + height > self.h - self.b_margin:
                self.add_page()
            x, y = left, self.get_y()
            for lines, width, align in zip(cells, widths, aligns):
                self.rect(x, y, width, height)
                for k, line in enumerate(lines):
                    self.set_xy(x, y + k * h)
                    self.line_cell(width, h, line, align="C" if header and n == 0 else align)
                x += width
            self.set_xy(left, y + height)


def _latin(text: str) -> bool:
    """No Chinese in it: digits, Latin letters and punctuation such as 08:30–12:00 stay whole."""
    return all(ord(c) < 0x2E80 for c in text)


def new_pdf(footer=None) -> Document:
    return Document(footer)


def qr_png(text: str, border: int = 2) -> bytes:
    """A QR code as PNG bytes, for the page and the PDF alike."""
    out = io.BytesIO()
    qrcode.make(text, border=border).save(out, format="PNG")
    return out.getvalue()


def certificate_pdf(cert: dict, category_names: dict[str, str], verify_url: str | None = None) -> bytes:
    """志愿服务记录证明 for one volunteer and period, from a recorded certificate; with `verify_url`
    (the verification page with this certificate's code) a QR code and the code to type in."""
    pdf = new_pdf()
    pdf.set_margins(22, 20, 22)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, 190, 277)
    pdf.set_line_width(0.2)
    pdf.set_xy(22, 28)
    pdf.font_size(26)
    pdf.line_cell(0, 14, "志愿服务记录证明", align="C", new_line=True)
    pdf.font_size(11)
    pdf.line_cell(0, 8, "Certificate of Volunteer Service Record", align="C", new_line=True)
    pdf.ln(4)
    pdf.line_cell(0, 8, f"证明编号：{cert['number']}", align="R", new_line=True)
    pdf.ln(6)
    pdf.font_size(14)
    pdf.paragraph(166, 10, f"　　兹证明{cert['real_name']}（证件类型：居民身份证；证件号码：{cert['id_masked']}；"
                           f"志愿者编号：{cert['volunteer_number']}）于{cert['period_from']}至{cert['period_to']}"
                           f"期间在{cert['district']}{cert['community']}参加志愿服务，经审核确认，"
                           f"累计志愿服务时长{hours_text(cert['total_minutes'])}小时。")
    pdf.ln(6)
    pdf.font_size(12)
    pdf.line_cell(0, 8, "服务内容摘要：", new_line=True)
    rows = [("服务类别", "时长（小时）", "记录数")]
    rows += [(category_names.get(r["category"], r["category"]), hours_text(r["minutes"]), str(r["records"]))
             for r in cert["by_category"]]
    if not cert["by_category"]:
        rows.append(("（此期间无经审核的服务记录）", "", ""))
    pdf.table((76, 45, 45), rows, 9, aligns=("L", "R", "R"))
    pdf.ln(14)
    pdf.line_cell(0, 9, f"出具单位：{cert['district']}{cert['community']}居民委员会", new_line=True)
    pdf.line_cell(0, 9, f"出具日期：{cert['issued_at'][:10]}", new_line=True)
    if verify_url and cert.get("verify_code"):
        top = max(pdf.get_y() + 4, pdf.h - 84)  # below the issuer, above the footnote
        if top + 32 > pdf.h - 42:
            pdf.add_page()
            top = 30
        pdf.image(io.BytesIO(qr_png(verify_url, border=1)), x=pdf.w - 22 - 30, y=top, w=30, h=30)
        pdf.set_xy(22, top + 6)
        pdf.font_size(12)
        pdf.line_cell(120, 8, f"核验码：{code_text(cert['verify_code'])}", new_line=True)
        pdf.font_size(9)
        pdf.set_x(22)
        pdf.paragraph(120, 5, "扫描右侧二维码，或在邻里平台“证书核验”页输入核验码，可查验本证明的真实性。")
    pdf.set_y(-40)
    pdf.font_size(9)
    pdf.paragraph(166, 6, "本证明依据《志愿服务记录办法》出具，时长仅计经审核的服务时间（不含交通时间）。"
                          "可凭证明编号向出具单位核验。")
    return bytes(pdf.output())


CARD_COLUMNS = (18, 38, 32, 74, 16)  # mm: category, name, phone, the week's hours, distance
CARD_TABLE_PT = 11  # large type for a fridge door; every demo community's card still fits one A4 page


def service_card_pdf(card: dict, category_names: dict[str, str], qr_png: bytes, url: str) -> bytes:
    """便民服务卡: one A4 page in large type — hotlines beside the QR code, then the nearest outlet
    of each kind with its week's hours."""
    pdf = new_pdf()
    pdf.set_margins(16, 14, 16)
    community = card["community"]
    pdf.set_xy(16, 14)
    pdf.font_size(24)
    pdf.line_cell(0, 13, f"{community['district']}{community['name']}便民服务卡", align="C", new_line=True)
    pdf.ln(2)
    # The QR code stands at the right of the hotlines: the table below gets the page's height.
    top = pdf.get_y()
    qr_x, qr_w = pdf.w - pdf.r_margin - 36, 36
    pdf.image(io.BytesIO(qr_png), x=qr_x, y=top, w=qr_w, h=qr_w)
    pdf.set_xy(qr_x - 4, top + qr_w)
    pdf.font_size(10)
    pdf.paragraph(qr_w + 8, 5, "扫码查看全部便民网点", align="C")
    pdf.set_xy(16, top)
    left = qr_x - 16 - 6
    pdf.font_size(16)
    pdf.line_cell(left, 10, "服务热线", new_line=True)
    pdf.font_size(14)
    for h in card["hotlines"]:
        pdf.paragraph(left, 8, f"{category_names.get(h['category'], h['category'])}：{h['phones']}（{h['name']}）")
    # printed in Chinese whatever the screen's language
    pdf.font_size(13)
    pdf.paragraph(left, 7, translate("card.national_title", "zh") + "：" + "　".join(
        f"{n} {translate('card.national.' + n, 'zh')}" for n in card["national"]))
    pdf.set_y(max(pdf.get_y(), top + qr_w + 6) + 2)
    pdf.font_size(16)
    pdf.line_cell(0, 10, "身边的便民网点", new_line=True)
    pdf.font_size(CARD_TABLE_PT)
    rows = [("类别", "名称", "电话", "营业时间（每周）", "距离")]
    for r in card["nearest"]:
        rows.append((category_names.get(r["category"], r["category"]), r["name"],
                     r["phones"].split(", ")[0] if r["phones"] else "—",
                     week_text(r["week"], r["holiday"]), f"{r['distance_m']}米"))
    pdf.table(CARD_COLUMNS, rows, CARD_TABLE_PT * 0.53, aligns=("L", "L", "L", "L", "R"))
    pdf.ln(3)
    pdf.font_size(8)
    pdf.paragraph(0, 5, url)
    return bytes(pdf.output())


SLIP_W, SLIP_H = 95.0, 68.0  # mm: eight slips on an A4 page, cut along the lines


def survey_slips_pdf(survey: dict, community: str, codes: list[str], url_of) -> bytes:
    """满意度调查 slips for households: each with its one-time code, as a QR code (`url_of(code)`,
    the answering page) and as text to type in, the survey's title and dates."""
    from db.assessment.surveys import shown_code

    pdf = new_pdf()
    pdf.set_auto_page_break(False)
    pdf.set_line_width(0.1)
    for i, code in enumerate(codes):
        if i and i % 8 == 0:
            pdf.add_page()
        x, y = 10 + (i % 2) * SLIP_W, 8 + (i % 8 // 2) * SLIP_H
        pdf.set_draw_color(150)
        pdf.rect(x, y, SLIP_W, SLIP_H)
        pdf.image(io.BytesIO(qr_png(url_of(code), border=1)), x=x + SLIP_W - 36, y=y + 18, w=32, h=32)
        pdf.set_xy(x + 4, y + 4)
        pdf.font_size(13)
        pdf.line_cell(SLIP_W - 8, 7, survey["title"], new_line=False)
        pdf.set_xy(x + 4, y + 12)
        pdf.font_size(10)
        pdf.line_cell(SLIP_W - 8, 5, f"{community} · {survey['opens_on']} 至 {survey['closes_on']}")
        pdf.set_xy(x + 4, y + 22)
        pdf.font_size(10)
        pdf.line_cell(SLIP_W - 44, 6, "问卷码")
        pdf.set_xy(x + 4, y + 29)
        pdf.font_size(18)
        pdf.line_cell(SLIP_W - 44, 9, shown_code(code))
        pdf.set_xy(x + 4, y + 41)
        pdf.font_size(9)
        pdf.paragraph(SLIP_W - 44, 4.5, "手机扫码作答，或在邻里平台“满意度调查”页输入问卷码。一户一码，每个手机号限答一次。")
    return bytes(pdf.output())
