"""The keys that cut selection and labelling: the selection over the rest of a name (') and
every other occurrence of the span under the cursor labelled as it is (=)."""

from __future__ import annotations

import spacy

from annotator.core.candidates import name_end
from annotator.core.editor import SpanEditor
from annotator.core.spans import Span, Tokens, occurrences

NAMES = (
    "Hay'at Tahrir al-Sham (HTS), led by Bashar al-Assad, took the Islamic State of Iraq's town "
    "on 03 Apr, 2025 and Assad's men fled to the al-Qaim border crossing."
)


def tokens(text: str) -> Tokens:
    doc = spacy.blank("en")(text)
    return Tokens([(t.idx, t.idx + len(t)) for t in doc], text)


def at(text: str, toks: Tokens, word: str) -> int:
    index = toks.index_starting(text.index(word))
    assert index is not None
    return index


def name_from(text: str, word: str) -> str:
    toks = tokens(text)
    first = at(text, toks, word)
    return text[toks.starts[first] : toks.ends[name_end(text, toks, first)]]


def test_a_name_goes_on_over_words_with_a_capital_or_a_digit_and_the_particles_between_them():
    assert name_from(NAMES, "Hay'at") == "Hay'at Tahrir al-Sham"  # "(HTS)" opens with punctuation
    assert name_from(NAMES, "Bashar") == "Bashar al-Assad"  # the comma after it ends it
    assert name_from(NAMES, "Islamic") == "Islamic State of Iraq"  # not the possessive
    assert name_from(NAMES, "Assad's") == "Assad"
    assert name_from(NAMES, "03") == "03 Apr, 2025"  # a comma before a number: a date goes on
    assert name_from(NAMES, "al-Qaim") == "al-Qaim"  # lower-case words are no part of it
    assert name_from(NAMES, "led") == "led"  # nothing after it looks like a name
    assert name_from("the Kurdistan of Europe", "the") == "the Kurdistan of Europe"
    assert name_from("Leonardo da vinci sang", "Leonardo") == "Leonardo"  # a particle alone is not kept


def test_a_name_ends_inside_its_word_where_a_lower_case_part_follows():
    # Found trying the demo: ' on "Shiite" selected "Shiite-led Iraqi".
    assert name_from("The Shiite-led Iraqi government", "Shiite") == "Shiite"
    assert name_from("a Coca-Cola Zero can", "Coca") == "Coca-Cola Zero"
    assert name_from("the COVID-19 wave", "COVID") == "COVID-19"
    assert name_from("Hezbollah-backed groups", "Hezbollah") == "Hezbollah"
    assert name_from("a 5,000-year-old site", "5,000") == "5,000-year-old"  # a number's word is whole
    assert name_from("a consensus-driven plan", "consensus") == "consensus-driven"


def test_a_name_stops_at_a_line_break():
    assert name_from("Visit Iraq\nToday we", "Iraq") == "Iraq"


def test_select_name_extends_the_selection_from_the_cursor_or_from_the_selection():
    toks = tokens(NAMES)
    editor = SpanEditor(NAMES, toks)
    editor.move_to(at(NAMES, toks, "Bashar"))
    assert editor.select_name()
    assert editor.selection == (at(NAMES, toks, "Bashar"), at(NAMES, toks, "Assad,"))
    assert not editor.select_name()  # the name ends there
    editor.label("PERSON")
    assert [NAMES[s.start : s.end] for s in editor.spans] == ["Bashar al-Assad"]
    editor.move_to(at(NAMES, toks, "the Islamic"))
    editor.move(1, extend=True)  # "the Islamic" selected: the rest of the name goes on from Islamic
    editor.select_name()
    first, last = editor.selection
    assert NAMES[toks.starts[first] : toks.ends[last]] == "the Islamic State of Iraq"


def test_occurrences_are_the_same_characters_on_token_boundaries_elsewhere():
    text = "dope and doped dope, Dope dope"
    toks = tokens(text)
    span = Span(0, 4, "DRUG")
    assert [(s.start, text[s.start : s.end], s.label) for s in occurrences(text, toks, span)] == [
        (15, "dope", "DRUG"),
        (26, "dope", "DRUG"),
    ]  # "doped" is another word and "Dope" another case


def test_label_others_labels_every_free_occurrence_as_one_undoable_edit():
    text = "bupe helps ; bupe and more bupe . weed bupe"
    toks = tokens(text)
    taken = Span(text.rindex("weed bupe"), len(text), "DRUG")  # the last bupe is inside a span already
    editor = SpanEditor(text, toks, [taken])
    assert editor.label_others() == "no span under the cursor"
    editor.label("DRUG")  # the first bupe
    message = editor.label_others()
    assert message == "labelled 2 more 'bupe' as DRUG"
    assert [text[s.start : s.end] for s in editor.spans] == ["bupe", "bupe", "bupe", "weed bupe"]
    assert editor.label_others() == "no other 'bupe' outside the spans"
    assert editor.undo() and [text[s.start : s.end] for s in editor.spans] == ["bupe", "weed bupe"]


def test_label_others_never_makes_overlapping_spans():
    text = "A B A B A"
    toks = tokens(text)
    editor = SpanEditor(text, toks, [Span(0, 5, "ORG")])  # "A B A"
    editor.label_others()  # "A B A" again at 4 would overlap the span itself
    assert editor.spans == (Span(0, 5, "ORG"),)
