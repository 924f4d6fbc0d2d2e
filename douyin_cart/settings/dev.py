"""Local development: DEBUG, the sandbox sources, console SMS."""
from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, env

DEBUG = env.bool("DEBUG", default=True)
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)

# NEWUSER (404 page): with DEBUG a view's Http404 (a missing product, video, order) shows our own
# 404 page as a visitor sees it; a URL that matches no route keeps Django's technical page.
MIDDLEWARE = [*MIDDLEWARE, "core.error_pages.DebugNotFoundMiddleware"]
