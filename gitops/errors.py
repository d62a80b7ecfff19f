"""One exception family. The CLI turns each into `file:line: message` lines and an exit code."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a user's input: where it is and what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class GitopsError(Exception):
    """Base of every error this tool raises on purpose."""

    exit_code = 3

    def __init__(self, message: str = "", *, file: str = "", line: int | None = None,
                 problems: list[Problem] | None = None):
        self.problems = problems or [Problem(file, line, message)]
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(GitopsError):
    """Bad spec, config, policy file or command-line usage: exit 2."""

    exit_code = 2


class SpecError(InputError):
    """A mistake in an app spec. Carries the spec file and line when known."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None,
                 app: str | None = None, field: str | None = None):
        prefix = ""
        if app:
            prefix += f"app {app!r}: "
        if field:
            prefix += f"{field}: "
        self.app, self.field, self.bare_message = app, field, message
        super().__init__(prefix + message, file=file, line=line)

    def located(self, file: str, line: int | None) -> "SpecError":
        """The same error, placed at a spec file and line (when it had none)."""
        if self.problems[0].file:
            return self
        return SpecError(self.bare_message, file=file, line=line, app=self.app, field=self.field)
