# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upload form."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat


class UploadForm(forms.Form):
    file = forms.FileField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PAGES_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is too large ({filesizeformat(upload.size)}); the limit is {filesizeformat(limit)}."
            )
        return upload
