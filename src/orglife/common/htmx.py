"""htmx helpers (NetBox style)."""

from django.http import HttpRequest


def htmx_partial(request: HttpRequest) -> bool:
    """True when an htmx request asks for a fragment rather than a whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)
