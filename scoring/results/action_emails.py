"""The email that tells a person they own an action, in the language chosen for them."""

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from scoring.models import ActionOwner
from survey.emails import render_message


def owner_message(*, owner: ActionOwner, base_url: str) -> EmailMultiAlternatives:
    action = owner.action
    others = [o.display_name for o in action.owners.all() if o.pk != owner.pk]
    context = {
        "owner": owner,
        "title": action.display_title,
        "company": action.company.name,
        "due_date": action.due_date,
        "co_owner": others[0] if others else "",
        "link": base_url
        + reverse("scoring:action", kwargs={"round_id": action.round_id, "action_id": action.pk}),
        "language": owner.language,
    }
    return render_message("action_owner", context, owner.address, owner.language)
