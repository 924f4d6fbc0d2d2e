"""Hooks through which higher apps add to notices pages without notices importing them.

A conversation with an official account can show actions at its bottom, like the
application entry in the commerce assistant's conversation (guide: 私信界面底部).
An app registers a provider in its ``AppConfig.ready``::

    register_conversation_actions(OfficialKind.COMMERCE_ASSISTANT, provider)

where ``provider(request)`` returns a list of :class:`ConversationAction`.

The inbox can also list conversations kept by a higher app (private messages between
users live in ``showcase.engage``). It registers, in its ``AppConfig.ready``::

    register_inbox_source(section=provider, unread=counter)

where ``provider(request)`` returns an :class:`InboxSection` (or None) shown below the
official accounts, and ``counter(user)`` the unread count added to the inbox badge.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


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


@dataclass(frozen=True)
class InboxEntry:
    name: str
    url: str
    preview: str
    unread: int
    when: datetime | None
    person: object  # the user whose avatar is shown
    key: str = ""


@dataclass(frozen=True)
class InboxSection:
    key: str
    title: str
    entries: list[InboxEntry] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""
    empty_text: str = ""


_inbox_sources: list[tuple[Callable, Callable]] = []


def register_inbox_source(*, section: Callable, unread: Callable) -> None:
    if (section, unread) not in _inbox_sources:
        _inbox_sources.append((section, unread))


def inbox_sections(request) -> list[InboxSection]:
    return [s for s in (section(request) for section, _ in _inbox_sources) if s is not None]


def extra_unread_count(user) -> int:
    return sum(unread(user) for _, unread in _inbox_sources)
