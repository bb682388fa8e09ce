"""Domain errors: a refused action raises one with a full Chinese sentence naming the rule."""


class DomainError(Exception):
    """A business rule refused the action; nothing was changed."""

    code = "rule_violation"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotPermitted(DomainError):
    """The actor may not do this to this object (policies.py said no)."""

    code = "forbidden"


class InvalidInput(DomainError):
    """The input is malformed (a date that is no date, a count that is no number)."""

    code = "invalid_input"


class Conflict(DomainError):
    """The object is not (or no longer) in a state that allows this: it moved on, or the step is
    not open now. A retry of a step that already took effect ends here, not in a second effect."""

    code = "conflict"


class RateLimited(DomainError):
    """The same client did this too often in a short time (a throttle on a public form)."""

    code = "throttled"
