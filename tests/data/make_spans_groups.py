"""Writes spans_groups.spacy with spaCy's own DocBin: what a spancat or SpanRuler pipeline
saves (doc.spans groups, spans in a group free to overlap) next to doc.ents.
Run from the repository root: python tests/data/make_spans_groups.py"""

from pathlib import Path

import spacy
from spacy.tokens import DocBin

nlp = spacy.blank("en")
first = nlp("Ahmed al-Sharaa met officials in Damascus on Thursday.")
first.ents = [first.char_span(0, 15, "PERSON"), first.char_span(33, 41, "GPE")]
first.spans["sc"] = [
    first.char_span(0, 15, "PERSON"),  # the same span as an entity
    first.char_span(45, 53, "DATE"),
    first.char_span(33, 53, "EVENT"),  # overlaps the DATE in its own group
]
first.spans["places"] = []
second = nlp("Iraq sent 1,905 soldiers back to Syria.")
second.ents = [second.char_span(0, 4, "GPE")]
second.spans["sc"] = [second.char_span(33, 38, "GPE"), second.char_span(10, 15, "CARDINAL")]
second.spans["places"] = [second.char_span(0, 4, "GPE"), second.char_span(33, 38, "GPE")]
DocBin(docs=[first, second]).to_disk(Path(__file__).with_name("spans_groups.spacy"))
