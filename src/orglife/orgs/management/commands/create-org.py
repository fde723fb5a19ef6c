"""orglife create-org: add an organization (a top-level one needs --jurisdiction)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orglife.orgs.choices import Jurisdiction, OrgKind
from orglife.orgs.models import Organization
from orglife.orgs.services import org_create


class Command(BaseCommand):
    help = (
        "Create an organization. Without --parent it is a top-level organization "
        "(e.g. a provincial committee) and --jurisdiction is required; below a parent "
        "the jurisdiction is inherited. Runs as the operator and is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=OrgKind.values)
        parser.add_argument("--parent", help="code of the parent organization")
        parser.add_argument("--jurisdiction", choices=Jurisdiction.values)
        parser.add_argument("--short-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        parent = None
        if options["parent"]:
            parent = Organization.objects.filter(code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"no organization with code {options['parent']!r}")
        try:
            org = org_create(
                actor=None,
                parent=parent,
                code=options["code"],
                name=options["name"],
                kind=options["kind"],
                short_name=options["short_name"],
                jurisdiction=options["jurisdiction"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"created {org.code} ({org.get_kind_display()}), id {org.pk}, path {org.path}")
