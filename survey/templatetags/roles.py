"""Templates hide the controls a viewer cannot use: `{% if user|can_change:company_id %}`.
The views refuse them anyway (survey.workspace.access.refuse_viewer); this only spares a
viewer buttons that would answer 403."""

from django import template

from survey.workspace.access import can_change as can_change_company

register = template.Library()


@register.filter
def can_change(user, company_id: int) -> bool:
    return can_change_company(user, company_id)
