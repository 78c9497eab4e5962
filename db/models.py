"""Pydantic models for every input that reaches db/. `parse` turns pydantic's errors into an
InputError whose problems are catalogue keys, so a page can say what is wrong in the user's language."""

import re
from dataclasses import dataclass
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from db.errors import InputError
from db.text import clean
from db import clock

ROLES = ("volunteer", "coordinator", "leader", "admin")
DISTRICTS = ("贵池区", "东至县", "石台县", "青阳县", "九华山风景区")
# Chizhou's bounding box with a small margin (WGS84); points outside are typing mistakes.
CITY_BBOX = {"lat_min": 29.3, "lat_max": 31.1, "lon_min": 116.3, "lon_max": 118.3}


@dataclass(frozen=True)
class Actor:
    """Who is acting: every db write takes one and checks it."""

    username: str
    role: str  # public | volunteer | coordinator | leader | admin
    community_id: int | None = None
    user_id: int | None = None
    source: str = ""  # the client's address, for rate limits on anonymous writes
    volunteer_id: int | None = None  # a volunteer login's own volunteer record (db.permissions OWN)


PUBLIC = Actor(username="public", role="public")
SYSTEM = Actor(username="system", role="admin")  # the command line and the seeder


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("err.required", "err.required")
    return value.strip()


Name = Annotated[str, Field(max_length=40), AfterValidator(_not_blank)]

# pydantic's own error types, mapped to catalogue keys.
_PYDANTIC_KEYS = {
    "missing": "err.required",
    "string_too_short": "err.required",
    "too_short": "err.required",  # an empty list where one is needed
    "string_too_long": "err.too_long",
    "int_parsing": "err.not_a_number",
    "int_type": "err.not_a_number",
    "float_parsing": "err.not_a_number",
    "float_type": "err.not_a_number",
    "greater_than_equal": "err.too_small",
    "greater_than": "err.too_small",
    "less_than_equal": "err.too_large",
    "less_than": "err.too_large",
    "literal_error": "err.invalid_choice",
    "string_pattern_mismatch": "err.bad_format",
    "date_parsing": "err.bad_date",
    "date_from_datetime_parsing": "err.bad_date",
    "time_parsing": "err.bad_time",
    "bool_parsing": "err.invalid_choice",
}

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: dict) -> M:
    """Validate `data` against `model`, raising InputError with every problem at once."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
            # A check across fields (_refuse) names the field the message belongs beside.
            field = ".".join(str(p) for p in err["loc"]) or ctx.pop("field", "_")
            kind = err["type"]
            key = kind if kind.startswith("err.") else _PYDANTIC_KEYS.get(kind, "err.invalid")
            problems.append((field, key, ctx))
        raise InputError(problems) from None


def _refuse(key: str, field: str = "_", **ctx) -> None:
    """Refuse from a check across fields, naming the field whose message it is."""
    raise PydanticCustomError(key, key, {"field": field, **ctx})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value, info):
        # Every text a person typed is normalised on the way in (passwords are theirs, byte for byte).
        if isinstance(value, str) and "password" not in info.field_name:
            return clean(value)
        return value


class CommunityIn(Strict):
    name: Name
    district: Literal[DISTRICTS]
    kind: Literal["urban", "rural"]
    households: int = Field(ge=0, le=200_000)
    population: int = Field(ge=0, le=1_000_000)
    lat: float = Field(ge=CITY_BBOX["lat_min"], le=CITY_BBOX["lat_max"])
    lon: float = Field(ge=CITY_BBOX["lon_min"], le=CITY_BBOX["lon_max"])


USERNAME = re.compile(r"^[a-z0-9_.-]{3,32}$")


def _username(value: str) -> str:
    value = value.strip().lower()  # streamlit-authenticator lower-cases what is typed
    if not value:
        raise PydanticCustomError("err.required", "err.required")
    if not USERNAME.match(value):
        raise PydanticCustomError("err.username_format", "err.username_format")
    if value in RESERVED_USERNAMES:  # names the system itself acts under (see Actor)
        raise PydanticCustomError("err.username_reserved", "err.username_reserved")
    return value


RESERVED_USERNAMES = frozenset({"public", "system", "admin-system", "anonymous", "root"})


# The passwords tried first by anyone guessing (leaked-password lists; Chinese favourites too).
COMMON_PASSWORDS = frozenset("""
12345678 123456789 1234567890 87654321 11111111 00000000 88888888 66666666 99999999 12341234
password password1 passw0rd qwertyui qwerty123 qwertyuiop asdfghjk asdf1234 zxcvbnm1 abc12345
abcd1234 a1234567 a12345678 aa123456 iloveyou woaini1314 woaini520 5201314520 1qaz2wsx 1q2w3e4r
admin123 admin1234 administrator letmein1 welcome1 linli123 changeme 11223344 147258369
""".split())


def _password(value: str) -> str:
    # bcrypt reads at most 72 bytes; a longer password would be silently cut.
    if len(value) < 8 or len(value.encode()) > 72:
        raise PydanticCustomError("err.password_length", "err.password_length")
    if value.lower() in COMMON_PASSWORDS or len(set(value)) <= 2:
        raise PydanticCustomError("err.password_common", "err.password_common")
    return value


Username = Annotated[str, AfterValidator(_username)]
Password = Annotated[str, AfterValidator(_password)]


class UserIn(Strict):
    username: Username
    display_name: Name
    role: Literal[ROLES]
    community: str | None = None  # a community name; required for coordinators
    password: Password

    @model_validator(mode="after")
    def _scope(self):
        if self.role in ("coordinator", "volunteer") and not self.community:
            _refuse("err.scope_required", "community")
        _not_the_username(self.password, self.username)
        return self


class RoleChange(Strict):
    role: Literal[ROLES]
    community: str | None = None

    @model_validator(mode="after")
    def _scope(self):
        if self.role in ("coordinator", "volunteer") and not self.community:
            _refuse("err.scope_required", "community")
        return self


class PasswordIn(Strict):
    password: Password
    username: str = ""  # whose password it is: it may not be the username

    @model_validator(mode="after")
    def _not_username(self):
        _not_the_username(self.password, self.username)
        return self


def _not_the_username(password: str, username: str) -> None:
    if username and password.lower() == username.lower():
        _refuse("err.password_is_username", "password")


# --- volunteers and the ledger ----------------------------------------------------------------

from datetime import date as _date, datetime as _datetime, time as _time  # noqa: E402

from db.identity import MOBILE, id_birth_date, id_gender, id_problem, normalise_id, normalise_phone  # noqa: E402

DAY_PARTS = ("morning", "afternoon", "evening")


class Availability(Strict):
    days: list[Annotated[int, Field(ge=1, le=7)]] = []  # ISO weekdays, 1 = Monday
    parts: list[Literal[DAY_PARTS]] = []


class VolunteerIn(Strict):
    real_name: Annotated[str, Field(max_length=20), AfterValidator(_not_blank)]
    # Birth date and gender are read from the ID number; when given too (a spreadsheet has columns for
    # them) they must agree with it.
    gender: Literal["M", "F"] | None = None
    birth_date: _date | None = None
    id_number: str
    phone: str
    community_id: int
    skills: list[str] = []
    availability: Availability = Availability()
    party_member: bool = False
    notes: Annotated[str, Field(max_length=200)] = ""
    consent: bool = False

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        value = normalise_id(value)
        problem = id_problem(value)
        if problem:
            raise PydanticCustomError(problem, problem)
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = normalise_phone(value)
        if not MOBILE.match(value):
            raise PydanticCustomError("err.phone_format", "err.phone_format")
        return value

    @model_validator(mode="after")
    def _identity(self):
        problem = id_problem(self.id_number, self.birth_date, self.gender)
        if problem:
            _refuse(problem, "id_number")
        self.birth_date = id_birth_date(self.id_number)
        self.gender = id_gender(self.id_number)
        return self


Text60 = Annotated[str, Field(max_length=60)]


class RecordIn(Strict):
    volunteer_ids: Annotated[list[int], Field(min_length=1)]
    activity: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    service_date: _date
    start_time: _time | None = None
    end_time: _time | None = None
    minutes: Annotated[int, Field(ge=1, le=1440)] | None = None
    place: Text60 = ""
    beneficiary: Annotated[str, Field(max_length=40)] = ""
    content: Annotated[str, Field(max_length=200)] = ""
    category: str

    @model_validator(mode="after")
    def _duration(self):
        if self.service_date > clock.today():
            _refuse("err.future_date", "service_date")
        if self.start_time and self.end_time:
            if self.end_time <= self.start_time:
                _refuse("err.end_before_start", "end_time")
            span = (_datetime.combine(_date.min, self.end_time)
                    - _datetime.combine(_date.min, self.start_time)).seconds // 60
            self.minutes = span
        elif self.minutes is None:
            _refuse("err.minutes_required", "minutes")
        return self


class FourEyesIn(Strict):
    minutes: Annotated[int, Field(ge=0, le=1440)]


class Reason(Strict):
    reason: Annotated[str, Field(max_length=200), AfterValidator(_not_blank)]


class Period(Strict):
    period_from: _date
    period_to: _date

    @model_validator(mode="after")
    def _order(self):
        if self.period_to < self.period_from:
            _refuse("err.period_order", "period_to")
        return self


class StarThresholds(Strict):
    hours: Annotated[list[Annotated[int, Field(ge=1, le=100_000)]], Field(min_length=1, max_length=10)]

    @model_validator(mode="after")
    def _increasing(self):
        if any(b <= a for a, b in zip(self.hours, self.hours[1:])):
            raise PydanticCustomError("err.thresholds_increasing", "err.thresholds_increasing")
        return self


# --- directory ---------------------------------------------------------------------------------

PHONE_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
OUTLET_STATUSES = ("open", "temporarily_closed", "closed")


class CalendarRangeIn(Strict):
    start: _date
    end: _date
    kind: Literal["holiday", "workday"]
    name: Annotated[str, Field(max_length=40)] = ""

    @model_validator(mode="after")
    def _order(self):
        if self.end < self.start:
            _refuse("err.period_order", "end")
        if (self.end - self.start).days >= 31:
            _refuse("err.range_too_long", "end", days=31)
        return self


def _phone(value: str) -> str:
    """One mobile or landline number, spaces removed; anything else is refused by name."""
    phone = value.strip().replace(" ", "")  # already NFKC: Strict cleans every text field first
    if not (MOBILE.match(phone) or PHONE_LANDLINE.match(phone)):
        raise PydanticCustomError("err.phone_kind", "err.phone_kind", {"phone": phone})
    return phone


Phone = Annotated[str, AfterValidator(_phone)]
OptionalPhone = Annotated[str, AfterValidator(lambda value: _phone(value) if value else "")]


def _phones(value: str) -> str:
    return ", ".join(_phone(p) for p in re.split(r"[,，;；、/]", value) if p.strip())


def _opening_hours(value: str) -> str:
    from db.opening import parse_problem

    value = value.strip()
    if not value:
        raise PydanticCustomError("err.required", "err.required")
    problem = parse_problem(value)
    if problem:
        key = "err.opening_hours." + problem["expect"]
        raise PydanticCustomError(key, key, problem)
    return value


class OutletIn(Strict):
    name: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    category: str
    services: Annotated[str, Field(max_length=500)] = ""
    community_id: int
    address: Annotated[str, Field(max_length=100), AfterValidator(_not_blank)]
    lat: float
    lon: float
    phones: Annotated[str, Field(max_length=100), AfterValidator(_phones)] = ""
    opening_hours: Annotated[str, Field(max_length=200), AfterValidator(_opening_hours)]
    status: Literal[OUTLET_STATUSES] = "open"
    accessibility: Annotated[str, Field(max_length=200)] = ""
    last_verified: _date | None = None
    source: Annotated[str, Field(max_length=40)] = ""

    @model_validator(mode="after")
    def _inside_city(self):
        if not (CITY_BBOX["lat_min"] <= self.lat <= CITY_BBOX["lat_max"]
                and CITY_BBOX["lon_min"] <= self.lon <= CITY_BBOX["lon_max"]):
            _refuse("err.outside_city", "lat", **CITY_BBOX)
        return self

    @model_validator(mode="after")
    def _verified_not_future(self):
        if self.last_verified and self.last_verified > clock.today():
            _refuse("err.future_date", "last_verified")
        return self


class PauseIn(Strict):
    """暂停营业: why, and the last day closed (empty: until further notice)."""
    reason: Annotated[str, Field(max_length=30), AfterValidator(_not_blank)]
    until: _date | None = None

    @model_validator(mode="after")
    def _not_past(self):
        if self.until and self.until < clock.today():
            _refuse("err.past_date", "until")
        return self


# --- exchange ----------------------------------------------------------------------------------

class NeedIn(Strict):
    title: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    category: str
    description: Annotated[str, Field(max_length=500)] = ""
    community_id: int
    requester_name: Annotated[str, Field(max_length=20)] = ""
    requester_phone: OptionalPhone = ""
    address: Annotated[str, Field(max_length=100)] = ""
    window_start: _datetime | None = None
    window_end: _datetime | None = None
    urgency: Annotated[int, Field(ge=1, le=3)] = 1
    est_minutes: Annotated[int, Field(ge=15, le=480)] = 60
    expires_at: _datetime
    relation: Annotated[str, Field(max_length=20)] = ""

    @model_validator(mode="after")
    def _checks(self):
        if self.window_start and self.window_end and self.window_end <= self.window_start:
            _refuse("err.end_before_start", "window_end")
        if self.expires_at <= clock.now():
            _refuse("err.expiry_past", "expires_at")
        return self


class OfferIn(Strict):
    title: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    category: str
    description: Annotated[str, Field(max_length=500)] = ""
    expires_at: _datetime


class DoneIn(Strict):
    actual_minutes: Annotated[int, Field(ge=1, le=1440)]


# --- day care ----------------------------------------------------------------------------------

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PROGRAMME_KINDS = ("meal", "exercise", "health_check", "culture", "medical_escort", "outing", "care", "other")


class ProgrammeIn(Strict):
    centre_id: int
    title: Annotated[str, Field(max_length=40), AfterValidator(_not_blank)]
    kind: Literal[PROGRAMME_KINDS]
    room: Annotated[str, Field(max_length=20), AfterValidator(_not_blank)]
    capacity: Annotated[int, Field(ge=1, le=500)]
    lead: Annotated[str, Field(max_length=40)] = ""
    notes: Annotated[str, Field(max_length=200)] = ""
    byday: Annotated[list[Literal[WEEKDAY_CODES]], Field(min_length=1)]
    opens_at: _time
    closes_at: _time
    valid_from: _date
    valid_to: _date | None = None

    @model_validator(mode="after")
    def _times(self):
        if self.closes_at <= self.opens_at:
            _refuse("err.end_before_start", "closes_at")
        if self.valid_to and self.valid_to < self.valid_from:
            _refuse("err.period_order", "valid_to")
        return self


class MemberIn(Strict):
    centre_id: int
    name: Annotated[str, Field(max_length=20), AfterValidator(_not_blank)]
    birth_year: Annotated[int, Field(ge=1900, le=2010)]
    community_id: int
    emergency_contact: Annotated[str, Field(max_length=20), AfterValidator(_not_blank)]
    emergency_phone: Phone
    diet: Annotated[str, Field(max_length=100)] = ""
    mobility: Annotated[str, Field(max_length=100)] = ""


class ClosureIn(Strict):
    centre_id: int
    day: _date
    reason: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]


class FamilyMemberIn(Strict):
    name: Annotated[str, Field(max_length=20), AfterValidator(_not_blank)]
    relation: Literal["parent", "spouse", "child", "grandparent", "sibling", "other"]
    phone: OptionalPhone = ""
    address: Annotated[str, Field(max_length=100)] = ""


# --- volunteer activities ------------------------------------------------------------------------

class ShiftIn(Strict):
    """岗位/时段: a part of the activity's day with its own slots."""
    name: Annotated[str, Field(max_length=30), AfterValidator(_not_blank)]
    starts: _time
    ends: _time
    slots: Annotated[int, Field(ge=1, le=500)]


class ActivityIn(Strict):
    community_id: int
    title: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    category: str
    place: Annotated[str, Field(max_length=100), AfterValidator(_not_blank)]
    notes: Annotated[str, Field(max_length=500)] = ""
    skills: Annotated[list[str], Field(max_length=12)] = []
    day: _date
    starts: _time
    ends: _time
    # One day, start to end: a shift never runs past midnight (a night patrol is two activities).
    shifts: Annotated[list[ShiftIn], Field(min_length=1, max_length=10)]
    cancel_hours: Annotated[int, Field(ge=0, le=72)] = 2
    repeat_weeks: Annotated[int, Field(ge=1, le=26)] = 1  # the same weekday for this many weeks

    @model_validator(mode="after")
    def _times(self):
        if self.ends <= self.starts:
            _refuse("err.end_before_start", "ends")
        if _datetime.combine(self.day, self.starts) <= clock.now():
            _refuse("err.activity_past", "day")
        if (self.day - clock.today()).days > 366:
            _refuse("err.activity_too_far", "day")
        for i, shift in enumerate(self.shifts):
            if shift.ends <= shift.starts:
                _refuse("err.end_before_start", f"shifts.{i}.ends")
            if shift.starts < self.starts or shift.ends > self.ends:
                _refuse("err.shift_outside", f"shifts.{i}.starts", starts=self.starts.strftime("%H:%M"),
                        ends=self.ends.strftime("%H:%M"))
        return self


# --- residents' voice and the scorecard --------------------------------------------------------

Comment = Annotated[str, Field(max_length=200)]


class RatingIn(Strict):
    stars: Annotated[int, Field(ge=1, le=5)]
    comment: Comment = ""


SURVEY_KINDS = ("scale", "choice", "text")


class QuestionIn(Strict):
    kind: Literal[SURVEY_KINDS]
    text: Annotated[str, Field(max_length=100), AfterValidator(_not_blank)]
    choices: Annotated[list[Annotated[str, Field(max_length=30), AfterValidator(_not_blank)]], Field(max_length=8)] = []

    @model_validator(mode="after")
    def _choices(self):
        if self.kind == "choice" and len(self.choices) < 2:
            _refuse("err.survey_choices", "choices")
        if self.kind != "choice":
            self.choices = []
        return self


class SurveyIn(Strict):
    title: Annotated[str, Field(max_length=60), AfterValidator(_not_blank)]
    intro: Annotated[str, Field(max_length=300)] = ""
    opens_on: _date
    closes_on: _date
    community_ids: Annotated[list[int], Field(min_length=1)]
    questions: Annotated[list[QuestionIn], Field(min_length=1, max_length=12)]

    @model_validator(mode="after")
    def _period(self):
        if self.closes_on < self.opens_on:
            _refuse("err.period_order", "closes_on")
        if self.closes_on < clock.today():
            _refuse("err.past_date", "closes_on")
        if (self.closes_on - self.opens_on).days > 366:
            _refuse("err.survey_too_long", "closes_on", days=366)
        return self


class CodesIn(Strict):
    count: Annotated[int, Field(ge=1, le=500)]


CORRECTION_KINDS = ("closed", "moved", "phone", "hours", "other")


class CorrectionIn(Strict):
    kind: Literal[CORRECTION_KINDS]
    detail: Comment = ""
    contact: OptionalPhone = ""

    @model_validator(mode="after")
    def _said_what(self):
        if self.kind == "other" and not self.detail:
            _refuse("err.correction_detail", "detail")
        return self


class WeightsIn(Strict):
    weights: dict[str, Annotated[int, Field(ge=0, le=100)]]

    @model_validator(mode="after")
    def _some(self):
        if not any(self.weights.values()):
            _refuse("err.weights_zero", "weights")
        return self


class ResponseIn(Strict):
    phone: Phone
    answers: dict[int, int | Comment]  # question id → a scale's 1–5, a choice's index, or free text
