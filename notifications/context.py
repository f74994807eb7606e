def unread(request):
    """The header's unread count, one cheap query, only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": count}
