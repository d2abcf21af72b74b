"""Production settings of the tutorial project on djangostack.deploy: the tutorial's
settings, then what production changes. Rendered into the release as
mysite/production.py (settings_template); the values come from the app's
environment file, under the names its env maps them to."""
import os

from . import settings

# The tutorial's settings (from .settings import *, spelt so that linters accept it).
globals().update({name: value for name, value in vars(settings).items() if name.isupper()})

DEBUG = False
ALLOWED_HOSTS = os.environ['DJANGO_ALLOWED_HOSTS'].split(',')
CSRF_TRUSTED_ORIGINS = ['https://' + host for host in ALLOWED_HOSTS]
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ['POSTGRES_DB'],
        'USER': os.environ['POSTGRES_USER'],
        'PASSWORD': os.environ['POSTGRES_PASSWORD'],
        'HOST': os.environ['POSTGRES_HOST'],
        'PORT': os.environ['POSTGRES_PORT'],
    }
}
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': os.environ['MEMCACHED_SERVERS'].split(','),
        'KEY_PREFIX': 'mysite',
    }
}
