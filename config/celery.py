"""The Celery application.

Configuration comes from Django settings prefixed ``CELERY_`` (config/settings.py), so the
web processes and the worker agree on broker, queue and acknowledgement policy.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("xiaowu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
