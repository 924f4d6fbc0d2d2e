"""The registry of outside product sources.

``get_client("jd")`` builds a client from ``settings.SOURCES["jd"]`` (cheap: the HTTP
session and the rate limit are shared per process); ``recognise(text)`` finds which
source a pasted text belongs to. A new source is one module here, one line in
``_CLIENTS`` and its sandbox twin.
"""
from __future__ import annotations

from importlib import import_module

from .base import EXTERNAL_SOURCES, PasteMatch, Source, SourceClient

# Order matters for ``recognise``: Taobao last, its 淘口令 pattern is the loosest.
_CLIENTS = {
    Source.JD: "affiliates.sources.jd.JdClient",
    Source.KAOLA: "affiliates.sources.kaola.KaolaClient",
    Source.VIP: "affiliates.sources.vip.VipClient",
    Source.SUNING: "affiliates.sources.suning.SuningClient",
    Source.TAOBAO: "affiliates.sources.taobao.TaobaoClient",
}


def _client_class(source: Source) -> type[SourceClient]:
    module, _, name = _CLIENTS[source].rpartition(".")
    return getattr(import_module(module), name)


def get_client(source: str | Source) -> SourceClient:
    """The client of an outside source; ``KeyError`` for a native or unknown one."""
    key = Source(source)
    if key not in _CLIENTS:
        raise KeyError(f"{source!r} is not an outside source")
    return _client_class(key)()


def external_clients() -> list[SourceClient]:
    """One client per outside source, in ``recognise`` order."""
    return [get_client(source) for source in _CLIENTS]


def recognise(text: str) -> tuple[SourceClient, PasteMatch] | None:
    """The first outside source that recognises ``text`` (no network), or None."""
    for client in external_clients():
        match = client.match_paste(text)
        if match is not None:
            return client, match
    return None


__all__ = ["EXTERNAL_SOURCES", "get_client", "external_clients", "recognise"]
