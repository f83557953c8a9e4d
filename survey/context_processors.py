from django.http import HttpRequest

from survey.workspace.rounds import CURRENT_COMPANY


def workspace(request: HttpRequest) -> dict:
    """The companies of the logged-in user, for the company switcher in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_companies": lambda: list(user.companies.order_by("name")),
        "nav_company_id": request.session.get(CURRENT_COMPANY),
    }
