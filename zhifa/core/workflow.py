"""The one step runner every workflow uses: cases today, inspections and supervision next.

A workflow is a model with a status field and a table of steps. Each step is declared once: its
code, label, who may take it, the statuses it starts from and the one it leads to, its guard,
its input form and its `perform`. `run()` takes any step:

1. it opens the transaction and re-reads the subject under a row lock (`select_for_update` on
   PostgreSQL; on SQLite the IMMEDIATE transaction took the database's write lock at BEGIN);
2. it checks who is acting, the status and the guards against that fresh row, so a second
   click, a retry or another worker finds the subject moved on and is refused (`Conflict`);
3. it calls the step's `perform`, which writes what the step is about and records its event
   through `Run.record` (the workflow's event table and its ledger leaf);
4. it sets the status the declaration names, lets the workflow settle (e.g. a ledger leaf of
   the subject as now served) and, with an idempotency key, keeps the receipt of the step.

Steps never set the status themselves, and nothing but `run()` performs a step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeAlias, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

from zhifa.core.calendar import today
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted

S = TypeVar("S", bound=models.Model)
# The acting user (AUTH_USER_MODEL). Core sits below accounts and does not name its model, not even
# for the type checker; the runner only passes the user on to the workflow's own guards.
User: TypeAlias = Any


def event_data(value: Any) -> Any:
    """A step's data as its event row stores it (JSON): dates and amounts as text."""
    if isinstance(value, dict):
        return {k: event_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [event_data(v) for v in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


@dataclass(frozen=True)
class Who(Generic[S]):
    """Who may take a step: a label for the refusal sentence and the test."""

    label: str
    test: Callable[[User, S], bool]


class StepForm(forms.Form):
    """A step's input, bound to its subject and actor; `data()` is what `perform` receives.

    The same form parses a browser's POST and the API's JSON object, so both are held to the
    same fields. Rules stay in the step's guard and `perform`, not here.
    """

    fields: dict[str, Any]

    def __init__(self, *args: Any, subject: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.user = user

    def data_for_step(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


@dataclass(frozen=True)
class Step(Generic[S]):
    code: str
    label: str
    who: Who[S]
    statuses: frozenset[str]
    perform: Callable[..., Any]
    form: type[StepForm] = StepForm
    # The statuses the step may lead to; `route` picks one after `perform` (None: stay), and by
    # default a step with one target goes there from every status it starts from.
    leads_to: tuple[str, ...] = ()
    route: Callable[[S], str | None] | None = None
    # When only some of `statuses` move on (for the flow chart); None: all of them.
    leads_from: frozenset[str] | None = None
    guard: Callable[[S, dt.date], None] | None = None
    actor_guard: Callable[[S, User], None] | None = None
    # The variants of the workflow that have this step (e.g. a case's procedure); None: all.
    variants: frozenset[str] | None = None
    # Shown only when this says the step has something to act on (never an empty form).
    offered: Callable[[S], bool] | None = None

    def target(self, subject: S) -> str | None:
        if self.route is not None:
            return self.route(subject)
        return self.leads_to[0] if len(self.leads_to) == 1 else None

    def transitions(self) -> list[tuple[str, str]]:
        """(from, to) status pairs this step moves a subject along."""
        sources = self.statuses if self.leads_from is None else self.leads_from
        return [(a, b) for a in sorted(sources) for b in self.leads_to if a != b]


@dataclass
class Workflow(Generic[S]):
    """A stateful model and its steps. The owning app declares one and registers its steps."""

    name: str
    model: type[S]
    # What the subject is called in a refusal: "案件当前处于……阶段".
    noun: str
    # Raises NotPermitted when the user takes no part in this subject's work at all.
    ensure_participant: Callable[[User, S], None]
    # Writes one event of the subject with its ledger leaf, in the step's transaction.
    write_event: Callable[..., Any]
    status_field: str = "status"
    variant_of: Callable[[S], str] | None = None
    variant_label: Callable[[S], str] | None = None
    # Runs last in every step's transaction (e.g. the ledger leaf of the subject as served now).
    settle: Callable[[S], None] | None = None
    steps: dict[str, Step[S]] = field(default_factory=dict)

    def add(self, steps: Iterable[Step[S]]) -> None:
        for step in steps:
            if step.code in self.steps:
                raise ValueError(f"step {step.code!r} is declared twice in {self.name}")
            self.steps[step.code] = step

    def step(self, code: str) -> Step[S]:
        try:
            return self.steps[code]
        except KeyError:
            raise InvalidInput(f"没有“{code}”这一办理环节。", code="unknown_step") from None

    def status_of(self, subject: S) -> str:
        return str(getattr(subject, self.status_field))

    def status_label(self, subject: S) -> str:
        return str(getattr(subject, f"get_{self.status_field}_display")())

    def has(self, step: Step[S], subject: S) -> bool:
        return step.variants is None or self.variant_of is None or self.variant_of(subject) in step.variants

    def take(self, code: str, subject: S, /, *, actor: User, on: dt.date | None = None, **data: Any) -> Any:
        """Take step `code` with `data` as its input (the demo, services, tests); returns what it made."""
        return run(self, code, actor=actor, subject=subject, data=data, on=on).value

    def next_steps(self, subject: S, user: User, on: dt.date | None = None) -> list[StepState[S]]:
        """The subject page's steps: `states()`, or none for who takes no part in its work."""
        try:
            self.ensure_participant(user, subject)
        except NotPermitted:
            return []
        return states(self, subject, user, on)


@dataclass(frozen=True)
class StepState(Generic[S]):
    step: Step[S]
    allowed: bool
    reason: str


def check(workflow: Workflow[S], step: Step[S], subject: S, user: User, on: dt.date | None = None) -> None:
    """Raise the refusal for this step now, or return when it may be taken.

    NotPermitted for who is acting; Conflict when the subject is not where the step starts
    (another click or worker moved it on) or its guard says the step is not open now.
    """
    workflow.ensure_participant(user, subject)
    if not workflow.has(step, subject):
        label = workflow.variant_label(subject) if workflow.variant_label else ""
        raise Conflict(f"{label}没有“{step.label}”这一环节。")
    if workflow.status_of(subject) not in step.statuses:
        raise Conflict(
            f"{workflow.noun}当前处于“{workflow.status_label(subject)}”阶段，不能进行“{step.label}”。"
        )
    if not step.who.test(user, subject):
        raise NotPermitted(f"“{step.label}”应由{step.who.label}办理。")
    try:
        if step.guard is not None:
            step.guard(subject, on or today())
        if step.actor_guard is not None:
            step.actor_guard(subject, user)
    except (NotPermitted, InvalidInput, Conflict):
        raise
    except DomainError as refusal:
        raise Conflict(
            refusal.message, code=refusal.code if refusal.code != DomainError.code else None
        ) from None


def states(workflow: Workflow[S], subject: S, user: User, on: dt.date | None = None) -> list[StepState[S]]:
    """The steps open from the subject's status, each allowed or with the sentence saying why not.

    The case page and the API's `available_steps` both come from here. A step with nothing to
    act on (`offered`) is left out rather than offered as an empty form.
    """
    on = on or today()
    result = []
    status = workflow.status_of(subject)
    for step in workflow.steps.values():
        if not workflow.has(step, subject) or status not in step.statuses:
            continue
        if step.offered is not None and not step.offered(subject):
            continue
        try:
            check(workflow, step, subject, user, on)
        except DomainError as refusal:
            result.append(StepState(step, False, refusal.message))
        else:
            result.append(StepState(step, True, ""))
    return result


class Run(Generic[S]):
    """One step being taken: what `perform` gets, besides the step's input."""

    def __init__(self, workflow: Workflow[S], step: Step[S], subject: S, actor: User, on: dt.date):
        self.workflow, self.step, self.subject, self.actor, self.on = workflow, step, subject, actor, on
        self.events: list[Any] = []

    def record(self, summary: str, *, action: str = "", reason: str = "", **data: Any) -> Any:
        """The full-process record of the step (行政处罚法 第四十七条), with its ledger leaf."""
        event = self.workflow.write_event(
            self.subject, self.actor, action or self.step.code, summary, reason=reason, **data
        )
        self.events.append(event)
        return event


def already_taken(workflow: Workflow[S], code: str, *, actor: User, subject: S, key: str) -> bool:
    """Whether this key already took this step on this subject (a resent form, a retry)."""
    from zhifa.core.models import StepReceipt

    receipt = StepReceipt.find(actor=actor, key=key) if key else None
    return receipt is not None and (receipt.workflow, receipt.subject_id, receipt.step) == (
        workflow.name,
        subject.pk,
        code,
    )


@dataclass(frozen=True)
class Done(Generic[S]):
    subject: S
    value: Any
    status: str
    # True when an idempotency key had already taken this step: nothing was done again.
    replayed: bool = False


def run(
    workflow: Workflow[S],
    code: str,
    *,
    actor: User,
    subject: S,
    data: dict[str, Any] | None = None,
    on: dt.date | None = None,
    idempotency_key: str = "",
) -> Done[S]:
    """Take one step: lock, check, perform, move the status, record. All or nothing.

    `subject` is refreshed in place from the locked row, so the caller's object shows the step's
    effect afterwards (or, on a refusal, what the database holds).
    """
    from zhifa.core.models import StepReceipt

    step = workflow.step(code)
    on = on or today()
    with transaction.atomic():
        subject.refresh_from_db(from_queryset=workflow.model._default_manager.select_for_update())
        if idempotency_key:
            receipt = StepReceipt.find(actor=actor, key=idempotency_key)
            if receipt is not None:
                if (receipt.workflow, receipt.subject_id, receipt.step) != (workflow.name, subject.pk, code):
                    raise InvalidInput(
                        "该 Idempotency-Key 已用于另一次办理，请为每次新的办理使用新的键。",
                        code="idempotency_key_reused",
                    )
                return Done(subject, None, receipt.status, replayed=True)
        check(workflow, step, subject, actor, on)
        context = Run(workflow, step, subject, actor, on)
        value = step.perform(context, **(data or {}))
        target = step.target(subject)
        if target is not None and target != workflow.status_of(subject):
            setattr(subject, workflow.status_field, target)
            subject.save()
        if not context.events:
            context.record(step.label)
        if workflow.settle is not None:
            workflow.settle(subject)
        status = workflow.status_of(subject)
        if idempotency_key:
            try:
                with transaction.atomic():
                    StepReceipt.objects.create(
                        actor=actor,
                        key=idempotency_key,
                        workflow=workflow.name,
                        subject_id=subject.pk,
                        step=code,
                        status=status,
                    )
            except IntegrityError:
                # The same key, at the same moment, for another subject: neither is taken twice.
                raise InvalidInput(
                    "该 Idempotency-Key 正用于另一次办理，请为每次新的办理使用新的键。",
                    code="idempotency_key_reused",
                ) from None
    return Done(subject, value, status)
