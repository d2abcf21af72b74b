import platform

from django.contrib.auth.models import User
from django.core.cache import cache
from django.shortcuts import render


def home(request):
    visits = cache.get_or_set('visits', 0)
    cache.incr('visits')
    return render(request, 'home.html', {
        'users': User.objects.count(),
        'visits': visits + 1,
        'python': platform.python_version(),
    })
