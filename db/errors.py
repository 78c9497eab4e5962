"""Errors raised by db/: each carries a catalogue key so the UI can speak the user's language.

db/ never imports streamlit; pages translate `err.key` with `components.i18n.t` (the command line with `catalogue.translate`).
"""


class LinliError(Exception):
    """Base for every refusal the user should read. Nothing was written when it is raised."""

    key = "err.generic"

    def __init__(self, key: str | None = None, **params):
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class InputError(LinliError):
    """Bad input: `problems` lists (field, key, params) for every field that failed."""

    key = "err.input"

    def __init__(self, problems: list[tuple[str, str, dict]]):
        self.problems = problems
        super().__init__(self.key, count=len(problems))


class PermissionDenied(LinliError):
    key = "err.permission"


class NotFound(LinliError):
    key = "err.not_found"


class Conflict(LinliError):
    """A uniqueness or state conflict, e.g. a duplicate username."""

    key = "err.conflict"
