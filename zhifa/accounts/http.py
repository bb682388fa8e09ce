"""The request type of views behind login_required: its user is a zhifa user, never anonymous."""

from django.http import HttpRequest

from zhifa.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
