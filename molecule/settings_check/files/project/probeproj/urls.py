"""No views: the settings are what is checked."""

urlpatterns = []
