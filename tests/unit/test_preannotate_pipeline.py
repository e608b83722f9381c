"""Suggestions are exactly the pipeline's own ``nlp(text).ents``: a component that sets
sentence boundaries before the entity recognizer (a parser, senter or sentencizer) stays on,
since the recognizer never lets an entity cross a sentence start."""

from __future__ import annotations

import spacy

from annotator.preannotate import load_model

TEXT = "Bashar al-Assad fled to Russia."


def _with_sentence_cut(tiny_model, folder):
    """The tiny trained NER behind a sentencizer that starts a sentence after "Bashar":
    the boundary cuts the PERSON the recognizer finds without it."""
    nlp = spacy.load(tiny_model)
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": ["Bashar"]})
    nlp.add_pipe("sentencizer", name="after_ner")  # after the recognizer: cannot change doc.ents
    nlp.to_disk(folder)
    return folder


def _ents(doc):
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def test_sentence_boundaries_before_ner_are_kept(tiny_model, tmp_path):
    """Before: the sentencizer was disabled and the suggestion was "Bashar al-Assad" while
    nlp(text).ents gives no entity across the boundary."""
    model = _with_sentence_cut(tiny_model, tmp_path / "cut")
    full = spacy.load(model)
    alone = spacy.load(tiny_model)
    assert _ents(full(TEXT)) != _ents(alone(TEXT))  # the case is real: the boundary changes the entities
    highlighter = load_model(str(model))
    assert _ents(highlighter.nlp(TEXT)) == _ents(full(TEXT))
    assert highlighter.nlp.pipe_names == ["sentencizer", "ner"]  # what runs after NER stays off
