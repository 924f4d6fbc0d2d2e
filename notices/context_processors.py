from .hooks import extra_unread_count
from .selectors import unread_count


def inbox(request):
    """Unread inbox count for the bottom navigation badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": unread_count(user) + extra_unread_count(user)}
