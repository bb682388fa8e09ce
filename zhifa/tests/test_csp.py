"""Every page carries the Content-Security-Policy, and no page holds what it would refuse: an
inline <script> without the page's nonce, an on*= event attribute or a style= attribute. The
main pages of each role (its navigation) and every public page are checked."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.disclosure.tests.factories import make_decided_case, make_world
from zhifa.testing.admin import sysadmin_client
from zhifa.testing.factories import make_user
from zhifa.tests.test_public_pages import public_urls  # noqa: F401 (the fixture)


class _Refused(HTMLParser):
    """Collects the markup a CSP without 'unsafe-inline' would block."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
        # A data block (type="application/json") is not run; a script is, unless it is a file.
        runs = named.get("type") in (None, "", "text/javascript", "module")
        inline = tag in ("script", "style") and "src" not in named and (tag == "style" or runs)
        if inline and (not self.nonce or named.get("nonce") != self.nonce):
            self.found.append(f"inline <{tag}>")


def _nonce(policy: str) -> str | None:
    for part in policy.replace(";", " ").split():
        if part.startswith("'nonce-"):
            return part[len("'nonce-") : -1]
    return None


def _check(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "http" not in policy, url
    if response["Content-Type"].startswith("text/html"):
        parser = _Refused(_nonce(policy))
        parser.feed(response.content.decode())
        assert parser.found == [], (url, parser.found)


@pytest.mark.django_db
def test_public_pages_carry_the_policy_and_nothing_it_refuses(public_urls):  # noqa: F811
    client = Client()
    for url in [*public_urls, "/api/docs"]:
        _check(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.REVIEWER, Role.HEAD, Role.DISCLOSURE_ADMIN, Role.ARCHIVIST, Role.SUPERVISOR]
)
def test_each_roles_pages_carry_the_policy_and_nothing_it_refuses(role, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    case = make_decided_case(world)
    user = make_user(role, agency=world.bureau if role == Role.SUPERVISOR else world.agency)
    client = Client()
    client.force_login(user)
    home = client.get("/")
    pages = {"/", reverse("workbench:calendar"), *(item["url"] for item in home.context["nav_items"])}
    if role != Role.SUPERVISOR:
        pages.add(reverse("cases:detail", args=[case.pk]))
    assert len(pages) > 3
    for url in sorted(pages):
        _check(client, url)


@pytest.mark.django_db
def test_the_sysadmin_sees_the_same_policy_on_the_admin():
    client, _ = sysadmin_client()
    _check(client, reverse("admin:index"))
