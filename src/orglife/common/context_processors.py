"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def orglife(request: HttpRequest) -> dict[str, object]:
    """Expose the demo flag and the language list to templates."""
    return {"ORGLIFE_DEMO": settings.DEMO, "ORGLIFE_LANGUAGES": settings.LANGUAGES}
