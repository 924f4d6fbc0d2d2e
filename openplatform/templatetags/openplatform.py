from django import template

from openplatform.methods import SCOPES

register = template.Library()


@register.filter
def scope_label(name: str) -> str:
    return SCOPES.get(name, name)
