"""WSGI entry point for gunicorn (see docs/deployment.md)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far lives as long as the process: keep it out of the garbage collector's
# generations, so collections stay short (and copy-on-write pages stay shared under --preload).
gc.freeze()
