"""The gateway twins: one module per outside source, speaking that source's wire format.

Each twin module has ``SOURCE``, ``SUB_PARAM`` (the query parameter of its landing page that
carries our click id), ``THEME`` (name and colour of the imitated shop page), ``SHORT_HOST``
(or None) with ``short_link_target(request, code)``, and ``urlpatterns`` of its gateway.
"""
from importlib import import_module

TWIN_MODULES = ("taobao", "jd", "kaola", "vip", "suning")


def twin(source: str):
    if source not in TWIN_MODULES:
        raise KeyError(source)
    return import_module(f"{__name__}.{source}")


def twins():
    return [twin(source) for source in TWIN_MODULES]
