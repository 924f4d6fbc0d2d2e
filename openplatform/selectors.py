from oauth2_provider.models import get_access_token_model

from .models import OpenApp


def apps_of(developer) -> list[OpenApp]:
    return list(OpenApp.objects.filter(developer=developer))


def granted_apps(user) -> list[dict]:
    """Every app holding an access token of this user, with the scopes granted."""
    rows: dict[int, dict] = {}
    tokens = (get_access_token_model().objects.filter(user=user, application__open_app__isnull=False)
              .select_related("application__open_app").order_by("-created"))
    for t in tokens:  # revoking deletes the access token (django-oauth-toolkit): what is left is held
        app = t.application.open_app
        row = rows.setdefault(app.pk, {"app": app, "scopes": set(), "since": t.created})
        row["scopes"].update(t.scope.split())
    return [{**r, "scopes": sorted(r["scopes"])} for r in rows.values()]


def attributed_orders(user):
    """Our own checkout's orders attributed to this creator (outside reports such as Taobao are another model)."""
    from orders.models import Order

    return Order.objects.filter(creator=user).order_by("-created_at", "-id")
