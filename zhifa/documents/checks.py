"""`zhifa check --deploy`: settings a deployment would regret only after documents are issued."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(deploy=True)
def public_url_reachable(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    host = urlsplit(settings.ZHIFA_PUBLIC_URL).hostname or ""
    if not _loopback(host):
        return []
    return [
        Warning(
            f"ZHIFA_PUBLIC_URL 为本机地址（{settings.ZHIFA_PUBLIC_URL}）：签发的每份文书的二维码和核验地址"
            "都印着它，签发后不能更改，公众扫码无法打开。",
            hint="上线前把 ZHIFA_PUBLIC_URL 设为公众访问本系统的地址，例如 https://zhifa.example.gov.cn。",
            id="zhifa.W001",
        )
    ]
