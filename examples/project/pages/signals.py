# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drop the cached home page data when what it shows changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Greeting, Upload
from .views import HOME_CACHE_KEY


@receiver(post_save, sender=Greeting)
@receiver(post_delete, sender=Greeting)
@receiver(post_save, sender=Upload)
@receiver(post_delete, sender=Upload)
def forget_home_data(**kwargs):
    cache.delete(HOME_CACHE_KEY)
