"""A regular week's opening hours in words, for the service card: 周一至周五 08:30–12:00、14:00–18:00；
周六 09:00–12:00；周日休息；节假日休息."""

WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _days(run: list[int], lang: str) -> str:
    names = [("周" + WEEKDAYS["zh"][d - 1]) if lang == "zh" else WEEKDAYS["en"][d - 1] for d in run]
    if len(run) == 1:
        return names[0]
    if len(run) == 2:
        return f"{names[0]}、{names[1]}" if lang == "zh" else f"{names[0]}, {names[1]}"
    return f"{names[0]}至{names[-1]}" if lang == "zh" else f"{names[0]}–{names[-1]}"


def week_text(week: list[tuple[list[int], list[str]]], holiday: list[str] | None, lang: str = "zh") -> str:
    parts = []
    for run, hours in week:
        if hours == ["00:00–24:00"] and len(run) == 7:
            parts.append("24小时营业" if lang == "zh" else "open 24 hours")
        elif hours:
            parts.append(f"{_days(run, lang)} {'、'.join(hours) if lang == 'zh' else ', '.join(hours)}")
        else:
            parts.append(f"{_days(run, lang)}休息" if lang == "zh" else f"{_days(run, lang)} closed")
    if holiday is not None and [h for r, h in week if 1 in r] != [holiday]:  # say holidays when they differ
        if holiday:
            parts.append(f"节假日 {'、'.join(holiday)}" if lang == "zh" else f"holidays {', '.join(holiday)}")
        else:
            parts.append("节假日休息" if lang == "zh" else "closed on holidays")
    return ("；" if lang == "zh" else "; ").join(parts)
