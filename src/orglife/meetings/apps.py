from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings: plan, hold, record, vote and seal every kind of branch meeting."""

    name = "orglife.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # verify-audit also recomputes the seal of every sealed meeting (ADR 0006).
        from orglife.audit.seals import register_seal_verifier
        from orglife.meetings.sealing import verify_meeting_seals

        register_seal_verifier("meetings", verify_meeting_seals)
