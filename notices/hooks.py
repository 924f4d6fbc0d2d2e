"""Hooks through which higher apps add to notices pages without notices importing them.

A conversation with an official account can show actions at its bottom, like the
application entry in the commerce assistant's conversation (guide: 私信界面底部).
An app registers a provider in its ``AppConfig.ready``::

    register_conversation_actions(OfficialKind.COMMERCE_ASSISTANT, provider)

where ``provider(request)`` returns a list of :class:`ConversationAction`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConversationAction:
    label: str
    url: str
    note: str = ""
    primary: bool = True


_providers: dict[str, list[Callable]] = defaultdict(list)


def register_conversation_actions(kind: str, provider: Callable) -> None:
    if provider not in _providers[kind]:
        _providers[kind].append(provider)


def conversation_actions(kind: str | None, request) -> list[ConversationAction]:
    if not kind:
        return []
    actions: list[ConversationAction] = []
    for provider in _providers.get(kind, []):
        actions.extend(provider(request))
    return actions
