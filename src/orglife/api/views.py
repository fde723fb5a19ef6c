"""Small wrappers for the API's own pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from orglife.common.middleware import API_DOCS_POLICY


def api_docs_policy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve Swagger UI with a CSP that allows its inline styles (not scripts)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = API_DOCS_POLICY
        return response

    return wrapped
