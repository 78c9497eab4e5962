"""PDF documents with Chinese text (fpdf2 and the bundled Droid Sans Fallback font)."""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
LATIN_FONT = FONTS / "DejaVuSans.ttf"
CJK_FONT = FONTS / "DroidSansFallbackFull.ttf"


def new_pdf() -> FPDF:
    """An A4 page whose font "cjk" writes Latin with DejaVu Sans and falls back to Droid Sans
    Fallback for Chinese (which has no Latin glyphs of its own)."""
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=str(LATIN_FONT))
    pdf.add_font("cjk-han", fname=str(CJK_FONT))
    pdf.set_fallback_fonts(["cjk-han"])
    pdf.set_font("cjk", size=12)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def certificate_pdf(cert: dict, category_names: dict[str, str]) -> bytes:
    """志愿服务记录证明 for one volunteer and period, from a recorded certificate."""
    pdf = new_pdf()
    pdf.set_margins(22, 20, 22)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, 190, 277)
    pdf.set_y(28)
    pdf.set_font("cjk", size=26)
    pdf.cell(0, 14, "志愿服务记录证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, "Certificate of Volunteer Service Record", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 8, f"证明编号：{cert['number']}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    hours = cert["total_minutes"] / 60
    pdf.set_font("cjk", size=14)
    pdf.set_x(22)
    pdf.multi_cell(166, 10, align="L", text=
                   # No spaces: fpdf2 wraps at spaces, and Chinese text should wrap anywhere.
                   f"　　兹证明{cert['real_name']}（证件类型：居民身份证；证件号码：{cert['id_masked']}；"
                   f"志愿者编号：{cert['volunteer_number']}）于{cert['period_from']}至{cert['period_to']}"
                   f"期间在{cert['district']}{cert['community']}参加志愿服务，经审核确认，"
                   f"累计志愿服务时长{hours:.1f}小时。",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=12)
    pdf.set_x(22)
    pdf.cell(0, 8, "服务内容摘要：", new_x="LMARGIN", new_y="NEXT")
    widths = (76, 45, 45)
    pdf.set_x(22)
    for text, width in zip(("服务类别", "时长（小时）", "记录数"), widths):
        pdf.cell(width, 9, text, border=1, align="C")
    pdf.ln()
    for row in cert["by_category"]:
        pdf.set_x(22)
        values = (category_names.get(row["category"], row["category"]), f"{row['minutes'] / 60:.1f}",
                  str(row["records"]))
        for text, width in zip(values, widths):
            pdf.cell(width, 9, text, border=1, align="C")
        pdf.ln()
    if not cert["by_category"]:
        pdf.set_x(22)
        pdf.cell(sum(widths), 9, "（此期间无经审核的服务记录）", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_x(22)
    pdf.cell(0, 9, f"出具单位：{cert['district']}{cert['community']}居民委员会", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(22)
    pdf.cell(0, 9, f"出具日期：{cert['issued_at'][:10]}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-40)
    pdf.set_font("cjk", size=9)
    pdf.set_x(22)
    pdf.multi_cell(166, 6, align="L", text="本证明依据《志愿服务记录办法》出具，时长仅计经审核的服务时间（不含交通时间）。"
                           "可凭证明编号向出具单位核验。")
    return bytes(pdf.output())


def service_card_pdf(card: dict, category_names: dict[str, str], qr_png: bytes, url: str) -> bytes:
    """便民服务卡: one A4 page in large type — hotlines, the nearest outlet of each kind, a QR code."""
    import io

    pdf = new_pdf()
    pdf.set_margins(16, 14, 16)
    community = card["community"]
    pdf.set_y(14)
    pdf.set_font("cjk", size=24)
    pdf.cell(0, 13, f"{community['district']}{community['name']}便民服务卡", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, "服务热线", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=15)
    for h in card["hotlines"]:
        pdf.cell(0, 10, f"{category_names.get(h['category'], h['category'])}：{h['phones']}（{h['name']}）",
                 new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, "身边的便民网点", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11.5)
    widths = (28, 52, 40, 42, 16)
    for text, width in zip(("类别", "名称", "电话", "今日营业", "距离"), widths):
        pdf.cell(width, 8, text, border=1, align="C")
    pdf.ln()
    for r in card["nearest"]:
        hours = "、".join(r["today"]) or "今日休息"
        values = (category_names.get(r["category"], r["category"]), r["name"], r["phones"].split(", ")[0] if r["phones"] else "",
                  hours, f"{r['distance_m']}m")
        for text, width in zip(values, widths):
            pdf.cell(width, 8, text[:24], border=1)
        pdf.ln()
    pdf.ln(4)
    y = pdf.get_y()
    pdf.image(io.BytesIO(qr_png), x=16, y=y, w=38, h=38)
    pdf.set_xy(58, y + 10)
    pdf.set_font("cjk", size=13)
    pdf.multi_cell(130, 8, align="L", text="扫码查看本社区全部便民网点和营业时间")
    pdf.set_x(58)
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(130, 5, align="L", text=url)
    return bytes(pdf.output())
