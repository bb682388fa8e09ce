import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()

# The URLconf, translations and templates, before the first request (zhifa.core.warmup).
from zhifa.core.warmup import warm  # noqa: E402

warm()
