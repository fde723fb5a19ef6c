"""htmx helpers (NetBox style)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def htmx_partial(request: HttpRequest) -> bool:
    """
    True when an htmx request asks for a fragment rather than a whole page.

    Boosted requests and history restores (htmx re-fetching a page that fell
    out of its history cache) want the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not getattr(htmx, "boosted", False) and not getattr(htmx, "history_restore_request", False)


def render_htmx(
    request: HttpRequest, template: str, partial_template: str | None, context: dict[str, Any]
) -> HttpResponse:
    """Render ``partial_template`` for htmx fragment requests, ``template`` otherwise."""
    chosen = partial_template if partial_template and htmx_partial(request) else template
    response = render(request, chosen, context)
    # The same URL answers a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
