"""WSGI entry point (gunicorn orglife.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orglife.config.settings")
application = get_wsgi_application()
