"""Settings that refuse to load, as projects do when their environment is incomplete."""

from django.core.exceptions import ImproperlyConfigured

raise ImproperlyConfigured("DATABASE_URL is not set")
