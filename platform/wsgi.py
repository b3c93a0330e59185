import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongthuk.settings")
django_application = get_wsgi_application()

# Cached citizen pages are answered before Django's middleware (apps.portal.page_front).
from apps.portal.page_front import PageFront  # noqa: E402 - after Django is set up

application = PageFront(django_application)
