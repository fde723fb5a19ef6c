"""Every stored column has a data classification, and docs/security.md shows the current one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from orglife.common.classification import CLASSIFICATION, LEVELS, markdown_table, stored_columns

DOCS = Path(__file__).resolve().parents[4] / "docs" / "security.md"
BEGIN = "<!-- classification:begin -->"
END = "<!-- classification:end -->"


def test_every_stored_column_is_classified():
    # given every concrete field of the orglife models, User and Token
    columns = stored_columns()
    # then each has a level, so a new column fails here until it is classified
    unclassified = sorted(set(columns) - set(CLASSIFICATION))
    assert unclassified == [], f"classify these in orglife/common/classification.py: {unclassified}"


def test_no_classification_names_a_column_that_does_not_exist():
    # given the stored columns
    columns = set(stored_columns())
    # then the mapping holds no stale entries (a dropped or renamed column)
    assert sorted(set(CLASSIFICATION) - columns) == []


def test_every_level_is_one_of_the_known_levels():
    assert set(CLASSIFICATION.values()) <= set(LEVELS)


def test_the_check_covers_external_models_and_sees_a_new_column(monkeypatch):
    # given the User and Token models are in scope
    columns = set(stored_columns())
    assert {"auth.User.password", "authtoken.Token.key"} <= columns
    # when a model gains a column
    person = apps.get_model("people", "Person")
    extra = models.CharField(max_length=10, blank=True)
    extra.set_attributes_from_name("religion")
    extra.model = person
    extra.concrete = True
    monkeypatch.setattr(person._meta, "concrete_fields", (*person._meta.concrete_fields, extra))
    # then it is reported as unclassified
    assert sorted(set(stored_columns()) - set(CLASSIFICATION)) == ["people.Person.religion"]


@pytest.mark.parametrize(
    ("key", "level"),
    [
        ("people.Person.national_id", "sensitive"),
        ("people.Person.full_name", "sensitive"),
        ("people.Person.status", "sensitive"),
        ("accounts.TotpDevice.secret", "secret"),
        ("auth.User.password", "secret"),
        ("authtoken.Token.key", "secret"),
    ],
)
def test_key_columns_have_the_documented_level(key, level):
    assert CLASSIFICATION[key] == level


def test_docs_table_is_generated_from_the_module():
    # given the table between the markers in docs/security.md
    text = DOCS.read_text()
    shown = text[text.index(BEGIN) + len(BEGIN) : text.index(END)]
    # then it is exactly what scripts/classification_table.py writes
    assert shown == "\n" + markdown_table(), "run .venv/bin/python scripts/classification_table.py"
