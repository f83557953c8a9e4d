from django import forms
from django.utils.translation import gettext_lazy as _

from survey.playback_models import MAX_MESSAGE_LENGTH


class HeadsMessageForm(forms.Form):
    """The heads' optional message, sent to everyone with the results at the close."""

    message = forms.CharField(
        label=_("A message from the heads of sales and marketing (optional)"),
        help_text=_(
            "Everyone invited gets an email when the results are published, and can read "
            "them at their own link. This message goes with them: for example, thanks, and "
            "when the two departments will talk about the results."
        ),
        max_length=MAX_MESSAGE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
