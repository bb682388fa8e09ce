"""Open data: published decisions and prior-disclosure lists as JSON, with an incremental cursor."""

from ninja import Router

router = Router(tags=["公示"])
