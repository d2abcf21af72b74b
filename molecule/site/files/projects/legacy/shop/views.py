import platform

import django
from django.contrib.auth.models import User
from django.http import HttpResponse


def home(request):
    return HttpResponse('shop: %d users, Django %s, Python %s\n' % (
        User.objects.count(), django.get_version(), platform.python_version()), content_type='text/plain')
