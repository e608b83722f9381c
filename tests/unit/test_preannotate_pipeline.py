"""Suggestions are exactly the pipeline's own ``nlp(text).ents``: a component that sets
sentence boundaries before the entity recognizer (a parser, senter or sentencizer) stays on,
since the recognizer never lets an entity cross a sentence start."""

from __future__ import annotations

import spacy

from annotator.usecases.preannotate import load_model

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


LISTENING_NER = {"model": {
    "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
    "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
    "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
}}  # fmt: skip


def test_what_is_kept_is_read_from_spacys_metadata():
    """A pipeline shaped like spaCy's trained ones: the shared tok2vec the NER listens to, the
    parser (sentence boundaries) and a component that declares nothing stay; the tagger, an
    attribute_ruler without entity attributes and what follows the NER are switched off."""
    from spacy.language import Language

    from annotator.usecases.preannotate import _keep_entity_components

    if "declares_nothing" not in Language.factories:
        Language.component("declares_nothing", func=lambda doc: doc)
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger").add_label("NN")
    nlp.add_pipe("parser").add_label("dep")
    nlp.add_pipe("attribute_ruler")
    nlp.add_pipe("declares_nothing")
    nlp.add_pipe("ner", config=LISTENING_NER).add_label("GPE")
    nlp.add_pipe("sentencizer", name="after_ner")
    nlp.initialize()
    _keep_entity_components(nlp)
    assert nlp.pipe_names == ["tok2vec", "parser", "declares_nothing", "ner"]
