"""Forms of the meeting pages: parsing only; every rule lives in the services."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orglife.meetings.choices import FollowUpStatus, VoteKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CANDIDATE_LINE = re.compile(r"^(?P<name>.*?)[\s,:，：;；]+(?P<votes>\d+)\s*$")


def aware(day: date, moment: time) -> datetime:
    """The aware datetime of ``day`` at ``moment`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, moment))


class PlanForm(forms.Form):
    """The plan of a meeting: a monthly meeting is a few taps (pre-filled by the view)."""

    topic = forms.CharField(label=_("Topic"), max_length=300)
    types = forms.MultipleChoiceField(label=_("Types"), widget=forms.CheckboxSelectMultiple)
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Start"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("End"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), max_length=500, required=False)
    joint_branches = forms.MultipleChoiceField(
        label=_("Joint branches"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self, *args: Any, type_choices: list[tuple[str, str]], joint_choices: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["types"]).choices = type_choices
        cast(forms.ChoiceField, self.fields["joint_branches"]).choices = joint_choices
        for name in ("topic", "day", "start", "end", "place", "online_link"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["types"].widget.attrs["class"] = "form-check-input"
        self.fields["joint_branches"].widget.attrs["class"] = "form-check-input"

    def planned(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return aware(data["day"], data["start"]), aware(data["day"], data["end"])


class HeldForm(forms.Form):
    """The actual date, start and end of the meeting."""

    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start = forms.TimeField(label=_("Started"), widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Ended"), widget=TIME_WIDGET)

    def actual(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return aware(data["day"], data["start"]), aware(data["day"], data["end"])


class GuestForm(forms.Form):
    """One guest (an upper-level leader, a speaker)."""

    name = forms.CharField(label=_("Guest name"), max_length=100)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    is_upper_level = forms.BooleanField(label=_("From the upper level"), required=False)


class ResolutionForm(forms.Form):
    """A resolution with its owner and due date (which open a follow-up item)."""

    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, owner_choices: list[tuple[Any, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "—"), *owner_choices]


class VoteForm(forms.Form):
    """The tally of one vote; admissions and conversions name one person."""

    kind = forms.ChoiceField(label=_("Kind"), choices=VoteKind.choices)
    agenda_order = forms.TypedChoiceField(
        label=_("Agenda item"), coerce=int, required=False, empty_value=None
    )
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    subjects = forms.TypedMultipleChoiceField(
        label=_("Person voted on"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    written_for = forms.IntegerField(label=_("Written opinions for"), min_value=0, required=False)
    written_against = forms.IntegerField(label=_("Written opinions against"), min_value=0, required=False)

    def __init__(
        self,
        *args: Any,
        agenda_choices: list[tuple[Any, str]],
        subject_choices: list[tuple[Any, str]],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["agenda_order"]).choices = [("", "—"), *agenda_choices]
        cast(forms.ChoiceField, self.fields["subjects"]).choices = subject_choices


class ElectionForm(forms.Form):
    """Election tallies: ballots and one line per candidate ("name, votes")."""

    title = forms.CharField(label=_("Election of"), max_length=200)
    seats = forms.IntegerField(label=_("Seats"), min_value=1)
    ballots_issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    ballots_returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    ballots_valid = forms.IntegerField(label=_("Valid ballots"), min_value=0)
    candidates = forms.CharField(
        label=_("Candidates and votes"),
        help_text=_("One candidate a line: name, votes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_candidates(self) -> list[dict[str, Any]]:
        rows = []
        for line in self.cleaned_data["candidates"].splitlines():
            if not line.strip():
                continue
            match = CANDIDATE_LINE.match(line.strip())
            if match is None or not match["name"].strip():
                raise forms.ValidationError(_("Write each line as: name, votes."))
            rows.append({"name": match["name"].strip(), "votes": int(match["votes"])})
        return rows


class FollowUpForm(forms.Form):
    """Progress of a follow-up item."""

    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AmendForm(forms.Form):
    """An amendment of sealed content: the reason and the changed fields."""

    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 2}))
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
