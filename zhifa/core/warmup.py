"""What a new web worker would otherwise do on its first request, done when zhifa.wsgi is imported.

A fresh process used to spend seconds of its first page on work that is the same for every
request: importing every view module through the URLconf (the locale middleware asks whether
the URLs are language-prefixed before any view runs), loading the zh-hans translation catalogs,
and compiling the templates (Django keeps compiled templates per process, in the cached loader).
`warm()` does that at start, so gunicorn pays it while booting a worker (or once in the master
with --preload), not the first user. It opens no database connection: a connection made before
gunicorn forks would be shared by the workers.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def warm() -> int:
    """Import the URLconf, load the translations and compile the project's own templates;
    returns the templates compiled."""
    from django.core.files.storage import storages
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018  imports every urls and views module, fills the resolver
    translation.activate(settings.LANGUAGE_CODE)
    translation.gettext("Log in")  # loads the catalogs of every installed app
    translation.deactivate()
    storages["staticfiles"]  # reads the manifest of collectstatic, once
    compiled = 0
    ours = Path(settings.BASE_DIR).resolve()
    for engine in engines.all():
        for name in engine.template_dirs:
            root = Path(name).resolve()
            if not root.is_relative_to(ours) or not root.is_dir():
                continue  # Django's own (admin) templates are compiled when first used
            for path in sorted(root.rglob("*.html")):
                engine.get_template(path.relative_to(root).as_posix())
                compiled += 1
    return compiled
