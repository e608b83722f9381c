"""The ``config.cfg`` written beside the DocBins, and the language it and the vocab are for."""

from __future__ import annotations

from annotator.store import Store


def spacy_config(lang: str):
    """spaCy's own starting config for an NER pipeline in ``lang`` (CPU, efficiency)."""
    from spacy.cli.init_config import init_config

    return init_config(lang=lang, pipeline=["ner"], optimize="efficiency", silent=True)


def dataset_lang(store: Store, dataset: str, fallback: str = "en") -> str:
    info = store.dataset_info(dataset)
    return (info or {}).get("lang") or fallback
