"""Chinese resident ID numbers (GB 11643-1999) and mainland phone numbers: validation and masking."""

import re
import unicodedata
from datetime import date
from db import clock

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# ASCII digits only: \d would also accept Arabic-Indic or other Unicode digits, which hash and
# compare as a different number than the same digits typed in ASCII.
_ID = re.compile(r"^[0-9]{17}[0-9X]$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def normalise_id(number: str) -> str:
    """What a person means: full-width digits (１２３) and a lower-case x become 123…X."""
    return unicodedata.normalize("NFKC", number).strip().upper()


def normalise_phone(phone: str) -> str:
    return unicodedata.normalize("NFKC", phone).strip().replace(" ", "").replace("-", "")


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def id_problem(number: str, birth: date | None = None, gender: str | None = None) -> str | None:
    """The catalogue key of what is wrong with an ID number, or None if it is valid and agrees
    with the stated birth date and gender (M/F)."""
    number = normalise_id(number)
    if not _ID.match(number):
        return "err.id_format"
    try:
        born = id_birth_date(number)
    except ValueError:
        return "err.id_birth_impossible"
    if born > clock.today() or born.year < 1900:
        return "err.id_birth_impossible"
    if check_digit(number[:17]) != number[17]:
        return "err.id_check_digit"
    if birth is not None and born != birth:
        return "err.id_birth_mismatch"
    if gender is not None and id_gender(number) != gender:
        return "err.id_gender_mismatch"
    return None


def id_birth_date(number: str) -> date:
    """Digits 7–14 are the birth date (YYYYMMDD); ValueError when they are no date."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_gender(number: str) -> str:
    """The 17th digit is odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def mask_id(number: str) -> str:
    """34**************4X: two digits at each end. The region code, birth date and sequence stay
    hidden, so the mask rebuilds nothing even beside a birth date or an age."""
    return number[:2] + "*" * 14 + number[-2:]


def mask_name(name: str | None) -> str:
    """陈**: the family name only, for whoever may not see the person named in full."""
    return name[:1] + "**" if name else ""


def mask_phone(phone: str) -> str:
    """138****1234."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def make_id(region: str, born: date, sequence: int, gender: str) -> str:
    """A valid ID number (demo data and tests only): sequence 0–99, gender M/F."""
    seq_digit = (sequence % 5) * 2 + (1 if gender == "M" else 0)
    first17 = f"{region}{born:%Y%m%d}{sequence // 5 % 100:02d}{seq_digit}"
    return first17 + check_digit(first17)
