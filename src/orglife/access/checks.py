"""System check: every org-owned model must use the scoped queryset."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from orglife.access.querysets import OrgScopedQuerySet

ORG_MODEL = "orgs.Organization"


def _is_org_owned(model: type[Any]) -> bool:
    for field in model._meta.get_fields():
        remote = getattr(field, "related_model", None)
        if (
            getattr(field, "many_to_one", False)
            and field.concrete
            and remote is not None
            and remote._meta.label == ORG_MODEL
        ):
            return True
    return False


@checks.register(checks.Tags.security)
def check_org_owned_models_are_scoped(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Fail for an org-owned model whose default manager is not OrgScopedQuerySet."""
    errors: list[checks.CheckMessage] = []
    # Django passes the app configs to check when run for some apps only.
    models = apps.get_models() if app_configs is None else [m for c in app_configs for m in c.get_models()]
    for model in models:
        if not model.__module__.startswith("orglife.") and model._meta.label != ORG_MODEL:
            continue
        if model._meta.label != ORG_MODEL and not _is_org_owned(model):
            continue
        queryset = model._default_manager.all()
        if not isinstance(queryset, OrgScopedQuerySet):
            errors.append(
                checks.Error(
                    f"{model._meta.label} is owned by an organization but its default "
                    "manager does not return an OrgScopedQuerySet.",
                    hint="Set objects = OrgScopedQuerySet.as_manager() and scope_path_field.",
                    obj=model,
                    id="orglife.access.E001",
                )
            )
        elif not getattr(model, "scope_path_field", None):
            errors.append(
                checks.Error(
                    f"{model._meta.label} uses OrgScopedQuerySet without scope_path_field.",
                    obj=model,
                    id="orglife.access.E002",
                )
            )
    return errors
