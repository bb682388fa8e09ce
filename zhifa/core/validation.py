"""Turn Django model validation into one domain error with a readable Chinese sentence."""

from django.core.exceptions import ValidationError
from django.db import models

from zhifa.core.errors import InvalidInput


def clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(describe(exc, instance)) from exc


def describe(exc: ValidationError, instance: models.Model | None = None) -> str:
    parts = []
    for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        label = field
        if instance is not None and field != "__all__":
            try:
                label = str(getattr(instance._meta.get_field(field), "verbose_name", field))
            except Exception:
                label = field
        text = "".join(m.rstrip("。") + "。" for m in messages)
        parts.append(text if field == "__all__" else f"{label}：{text}")
    return "".join(parts) or "输入有误，请检查后重试。"


# The largest primary key or count both back ends store (a signed 64-bit integer): an id beyond
# it names nothing, and SQLite would raise OverflowError on the query.
DB_INT_MAX = 2**63 - 1
