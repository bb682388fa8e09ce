"""What every `zhifa` management command shares on the command line.

A refusal reaches the user as its Chinese sentence alone on stderr, with the exit code it was
raised with (2 for bad input): Django would print it as "CommandError: …". Called from code
(`call_command`, the tests), the CommandError is raised as usual.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, SystemCheckError


class ZhifaCommand(BaseCommand):
    _on_command_line = False

    def run_from_argv(self, argv: list[str]) -> None:
        self._on_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # --traceback asks for Django's own report; system checks format themselves.
            if not self._on_command_line or options.get("traceback") or isinstance(exc, SystemCheckError):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)
