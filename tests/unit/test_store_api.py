"""The Store's public API: one name per idea, and each method says what it does."""

from __future__ import annotations

import inspect

from annotator.store import Store


def _public_members() -> dict[str, object]:
    return {name: member for name, member in inspect.getmembers(Store) if not name.startswith("_")}


def test_every_public_store_method_has_a_docstring():
    undocumented = []
    for name, member in _public_members().items():
        function = member.fget if isinstance(member, property) else member
        if callable(function) and not (function.__doc__ or "").strip():  # its own, not a parent's
            undocumented.append(name)
    assert undocumented == []


def test_one_name_per_idea():
    # The names the duplicates had: an idea has one method, and these are not it.
    retired = {
        "insert_documents",  # add_documents
        "set_suggestions",  # add_suggestions(replace=True)
        "append_answers",  # add_answers
        "latest_answer_rows",  # latest_answers(raw=True)
        "answers_by",  # answer_history(dataset=, annotator=)
        "documents_lacking_suggestions",  # documents_without_suggestions(source=None)
    }
    assert retired & _public_members().keys() == set()
