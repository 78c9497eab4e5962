"""Hours as people read them: what was served is never rounded up (99 h 59 min is 99.9 hours, not
the 100 that would promise a star), what is still needed never rounded down to 0.0."""


def hours_text(minutes: int) -> str:
    return f"{minutes // 6 / 10:.1f}" if minutes >= 0 else "-" + hours_text(-minutes)


def hours_left_text(minutes: float) -> str:
    return f"{-(-int(minutes) // 6) / 10:.1f}"
