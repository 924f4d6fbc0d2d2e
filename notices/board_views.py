"""Academy (小店学院) and announcement center (消息公告) pages."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput

from .models import AnnouncementKind, CourseCategory
from .selectors import (
    announcement_unread_count,
    announcements_for,
    course_lessons,
    course_published,
    courses_published,
)
from .services import announcement_mark_read, announcements_mark_all_read


def _choice(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    if value and value not in choices.values:
        raise InvalidInput(_("Unknown %(name)s.") % {"name": name}, field=name)
    return value


def _bad(request, exc):
    return render(request, "notices/bad_request.html", {"error": exc}, status=exc.status_code)


def academy(request):
    try:
        category = _choice(request, "category", CourseCategory)
    except InvalidInput as exc:
        return _bad(request, exc)
    return render(request, "notices/academy.html", {
        "courses": list(courses_published(category=category or None)),
        "category": category, "categories": CourseCategory.choices,
    })


def course(request, pk: int):
    found = course_published(pk)
    if found is None:
        raise Http404
    return render(request, "notices/course.html", {"course": found, "lessons": list(course_lessons(found))})


@login_required
def announcements(request):
    try:
        kind = _choice(request, "kind", AnnouncementKind)
    except InvalidInput as exc:
        return _bad(request, exc)
    return render(request, "notices/announcements.html", {
        "announcements": list(announcements_for(request.user, kind=kind or None)),
        "kind": kind, "kinds": AnnouncementKind.choices,
        "unread": announcement_unread_count(request.user),
    })


@login_required
def announcement(request, pk: int):
    found = get_object_or_404(announcements_for(request.user), pk=pk)
    was_unread = not found.is_read
    announcement_mark_read(user=request.user, announcement=found)
    return render(request, "notices/announcement.html", {"announcement": found, "was_unread": was_unread})


@login_required
@require_POST
def announcements_read_all(request):
    announcements_mark_all_read(user=request.user)
    return redirect("notices:announcements")
