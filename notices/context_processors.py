def inbox(request):
    """Unread inbox count for the bottom navigation badge (filled by the notices app)."""
    return {}
