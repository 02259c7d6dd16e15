"""
WSGI config for casco_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

A setting the portal cannot start with (casco_portal/config.py) is printed as one line and the
process exits with status 4, which gunicorn reads as "App failed to load" and stops, rather than
restarting workers that fail the same way.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from casco_portal.config import ConfigurationError, report_and_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casco_portal.settings")

try:
    application = get_wsgi_application()
except ConfigurationError as error:
    report_and_exit(error, status=4)  # gunicorn's APP_LOAD_ERROR
