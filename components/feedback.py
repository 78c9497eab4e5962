"""Telling the user why something was refused, in their language."""

import streamlit as st

from components.usertext import plain
from components.i18n import t
from db.errors import InputError, LinliError


def _message(key: str, params: dict) -> str:
    """A catalogue message; a multi-line parameter (a parser's report with its caret under the
    fault) keeps its layout in a code block under the sentence."""
    blocks = {k: v for k, v in params.items() if isinstance(v, str) and "\n" in v}
    # Parameters are often what the user typed (“{phone}” is not a phone): shown as text.
    short = {k: (v.splitlines()[0] if k in blocks else plain(v) if isinstance(v, str) else v) for k, v in params.items()}
    text = t(key, **short)
    for value in blocks.values():
        text += "\n\n  ```\n" + "\n".join("  " + line for line in value.splitlines()) + "\n  ```"
    return text


def show_error(exc: LinliError) -> None:
    if isinstance(exc, InputError):
        lines = [t("err.input", count=len(exc.problems))]
        for field, key, params in exc.problems:
            lines.append(f"- **{t('field.' + field.split('.')[0])}**: {_message(key, params)}")
        st.error("\n".join(lines))
    else:
        st.error(_message(exc.key, exc.params))


def attempt(action, success_key=None, rerun: bool = True, **success_params):
    """Run a db write. Refused: show why (nothing was written) and return None. Done: clear the
    read caches, keep the success message for the next run, and rerun so every view shows it.
    `success_key` is a catalogue key, or a function of the action's result giving the message."""
    from components.data import after_write

    try:
        result = action()
    except LinliError as exc:
        show_error(exc)
        return None
    after_write()
    if callable(success_key):
        st.session_state["_flash"] = success_key(result)
    elif success_key:
        st.session_state["_flash"] = t(success_key, **success_params)
    if rerun:
        st.rerun()
    return True if result is None else result


def show_flash() -> None:
    """The success message of the write that triggered this run, shown once."""
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
