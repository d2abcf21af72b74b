"""A Django project that is only settings: fixtures for django_settings_check.

settings_clean is production-correct; every other settings module is it with one
thing wrong, or one that cannot be imported.
"""
