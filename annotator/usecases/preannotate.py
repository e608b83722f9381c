"""Pre-highlighting: a spaCy pipeline and/or patterns (EntityRuler) -> stored suggestions.

Each source is stored under its own name (``en_core_web_sm 3.8.0``, ``patterns``) so it
is computed once and never on display. Every component that can change ``doc.ents`` runs
(a parser's sentence boundaries included), so suggestions are the pipeline's own entities.
spaCy is imported here, never by the UI; the UI's worker calls :func:`suggest_documents`.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly

from annotator.core.errors import UserError
from annotator.core.spans import Span, Tokens
from annotator.core.suggestions import merge_suggestions
from annotator.core.token_codec import unpack_offsets
from annotator.core.visible import visible
from annotator.io.labels import LabelsConfig
from annotator.io.records import check_readable, json_error
from annotator.store import Store

PATTERNS_SOURCE = "patterns"
BATCH_SIZE = 256


def stderr_note(message: str) -> None:
    print(visible(f"annotator: {message}"), file=sys.stderr)


@dataclass
class Highlighter:
    source: str  # stored with every suggestion: which pipeline (and version) made it
    nlp: Any  # a spacy Language with only the components that set entities enabled (spaCy loads late)


# spaCy's own pipeline names: lang_type_genre_size (en_core_web_sm, de_dep_news_trf, xx_ent_wiki_sm).
SPACY_PIPELINE_NAME = re.compile(r"[a-z]{2,3}_(core|dep|ent|sent)_(web|news|wiki|ud)_(sm|md|lg|trf)")


def installed_pipelines() -> str:
    import spacy.util

    return ", ".join(sorted(spacy.util.get_installed_models())) or "none"


def install_hint(model: str) -> str:
    """Advice that holds for this name and the installed spaCy: `spacy download` fetches
    the pipeline's release for this spaCy version (no package registry serves them)."""
    import spacy

    installed = installed_pipelines()
    if SPACY_PIPELINE_NAME.fullmatch(model):
        return (
            f"install it with `python -m spacy download {model}` "
            f"(spaCy {spacy.__version__}; installed pipelines: {installed})"
        )
    return (
        f"and it is not a spaCy pipeline name (such as en_core_web_sm) nor a folder; installed pipelines: {installed}"
    )


def model_installed(model: str) -> bool:
    import spacy.util

    return Path(model).exists() or spacy.util.is_package(model)


def _source_name(nlp, model: str) -> str:
    meta = nlp.meta
    name = meta.get("name") or Path(model).name
    if not Path(model).exists() and not name.startswith(f"{meta.get('lang')}_"):
        name = f"{meta.get('lang')}_{name}"  # installed packages are named lang_name
    return f"{name} {meta.get('version', '')}".strip()


ENTITY_ATTRS = {"doc.ents", "token.ent_iob", "token.ent_type"}
SENTENCE_ATTRS = {
    "token.is_sent_start",
    "token.sent_start",
    "doc.sents",
}  # the recognizer never crosses a sentence start


def _attribute_ruler_harmless(pipe) -> bool:
    """An attribute_ruler declares nothing, but its patterns say what it sets: harmless
    unless it sets entity or sentence-start attributes."""
    touched = {str(key).upper() for attrs in getattr(pipe, "attrs", []) for key in attrs}
    return not touched & {"ENT_TYPE", "ENT_IOB", "ENT_KB_ID", "ENT_ID", "SENT_START", "IS_SENT_START"}


def _may_change_ents(nlp, name: str, pipe, before_last_setter: bool) -> bool:
    """From spaCy's own metadata: does this component (or could it) change doc.ents?"""
    assigns = set(nlp.get_pipe_meta(name).assigns)
    if assigns & ENTITY_ATTRS:
        return True
    if not assigns:  # declares nothing: only spaCy's attribute_ruler is known to be harmless
        return not (nlp.get_pipe_meta(name).factory == "attribute_ruler" and _attribute_ruler_harmless(pipe))
    return before_last_setter and bool(assigns & SENTENCE_ATTRS)


def _keep_entity_components(nlp) -> None:
    """Keep every component that can change ``doc.ents`` (so suggestions equal
    ``nlp(text).ents``): the entity setters, what sets sentence boundaries before them
    (a parser or senter), components that declare nothing, the embedding layers a kept
    component listens to and the components whose output it requires. The rest (tagger,
    lemmatizer, anything after the last entity setter...) is disabled."""
    names = nlp.pipe_names
    setters = [i for i, name in enumerate(names) if set(nlp.get_pipe_meta(name).assigns) & ENTITY_ATTRS]
    last = setters[-1] if setters else -1
    keep = {name for i, (name, pipe) in enumerate(nlp.pipeline) if _may_change_ents(nlp, name, pipe, i < last)}
    while True:  # what the kept ones listen to or require, until nothing is added
        needed = set()
        for i, (name, pipe) in enumerate(nlp.pipeline):
            if name in keep:
                continue
            listeners = set(getattr(pipe, "listening_components", []) or [])
            assigns = set(nlp.get_pipe_meta(name).assigns)
            required = {attr for kept in keep if names.index(kept) > i for attr in nlp.get_pipe_meta(kept).requires}
            if listeners & keep or assigns & required:
                needed.add(name)
        if not needed:
            break
        keep |= needed
    nlp.select_pipes(enable=[name for name in names if name in keep])


def looks_like_path(model: str) -> bool:
    return "/" in model or "\\" in model or model.startswith(".") or model.startswith("~")


def missing_model(model: str) -> str:
    """Why ``model`` cannot be loaded, in a few words: no such path, or how to install it."""
    if looks_like_path(model):
        return f"{model}: no such path (give the folder of a saved spaCy pipeline, e.g. OUT_DIR/model/model-best)"
    hint = install_hint(model)
    return f"model {model!r} is not installed{'' if hint.startswith('and') else ';'} {hint}"


def load_model(model: str, note: Callable[[str], None] = stderr_note, required: bool = False) -> Highlighter | None:
    """The pipeline ready for NER. When it is not there: an error if ``required`` (the user
    named it on the command line), else None after one line saying how to install it."""
    import spacy

    if not model_installed(model):
        if required:
            raise UserError(missing_model(model))
        note(f"{missing_model(model)}. Going on without it.")
        return None
    try:
        nlp = spacy.load(model)
    except Exception as error:  # a broken or incompatible pipeline folder
        raise UserError(f"{model}: cannot load this spaCy pipeline ({type(error).__name__}: {error})") from None
    _keep_entity_components(nlp)
    if not nlp.pipe_names:
        raise UserError(f"{model}: this spaCy pipeline has no component that finds entities")
    return Highlighter(_source_name(nlp, model), nlp)


def _regex_problem(value) -> str | None:
    """A REGEX in a token pattern that Python's re cannot compile (spaCy compiles it only
    when matching starts, with a traceback), as the reason; or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "REGEX" and isinstance(item, str):
                try:
                    re.compile(item)
                except re.error as error:
                    return f"REGEX {item!r} is not a regular expression ({error})"
            elif problem := _regex_problem(item):
                return problem
    elif isinstance(value, list):
        return next((problem for item in value if (problem := _regex_problem(item))), None)
    return None


def read_patterns(path: Path) -> list[tuple[int, dict]]:
    """Patterns JSONL (spaCy EntityRuler / Prodigy format), checked line by line: (line, pattern)."""
    if not path.exists():
        raise UserError(f"{path}: no such patterns file")
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a patterns file (a JSONL file, one pattern a line)")
    check_readable(path)  # a FIFO would be waited on forever
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None
    patterns = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = srsly.json_loads(line)
        except ValueError as error:
            raise UserError(f"{path}:{number}: not valid JSON ({json_error(line, error)})") from None
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("label"), str)
            or not isinstance(item.get("pattern"), (str, list))
        ):
            raise UserError(
                f'{path}:{number}: a pattern needs "label" and "pattern" (a string or a list of token patterns)'
            )
        problem = _regex_problem(item["pattern"])
        if problem:
            raise UserError(f"{path}:{number}: {problem}")
        patterns.append((number, item))
    return patterns


def _first_bad_pattern(patterns: list[tuple[int, dict]], lang: str) -> tuple[int | None, str]:
    """The line of the first pattern spaCy's schema refuses, and why (to explain an error)."""
    import spacy

    ruler: Any = spacy.blank(lang).add_pipe("entity_ruler", config={"validate": True})  # an EntityRuler
    for number, pattern in patterns:
        try:
            ruler.add_patterns([pattern])
        except (ValueError, KeyError, TypeError, re.error) as error:  # MatchPatternError is a ValueError
            return number, " ".join(str(error).split())[:300]
    return None, "spaCy refused the patterns together"


def load_patterns(path: Path, lang: str) -> Highlighter:
    import spacy

    patterns = read_patterns(path)
    nlp = spacy.blank(lang)
    ruler: Any = nlp.add_pipe("entity_ruler")  # schema validation is slow: only to explain an error
    try:
        ruler.add_patterns([pattern for _, pattern in patterns])
        return Highlighter(PATTERNS_SOURCE, nlp)
    except (ValueError, KeyError, TypeError, re.error):
        number, message = _first_bad_pattern(patterns, lang)
    where = f"{path}:{number}" if number else str(path)
    raise UserError(f"{where}: a pattern is not valid ({message})")


def load_highlighters(
    config: LabelsConfig,
    model: str | None = None,
    patterns: str | None = None,
    note: Callable[[str], None] = stderr_note,
    strict: bool = False,
) -> list[Highlighter]:
    """The model (``--model`` or labels.yaml) and the patterns, model first. A ``model``
    given explicitly (or any, when ``strict``) must load; else labels.yaml's may be
    missing (a note, then patterns only)."""
    highlighters = []
    required, model = strict or model is not None, model or config.model
    if model:
        loaded = load_model(config.resolve(model) or model, note, required=required)
        if loaded:
            highlighters.append(loaded)
    patterns = patterns or config.patterns
    if patterns:
        highlighters.append(load_patterns(Path(config.resolve(patterns) or patterns), config.lang))
    return highlighters


def doc_spans(doc, text: str, tokens_packed: bytes, config: LabelsConfig) -> tuple[Span, ...]:
    """The doc's entities in our label set, on the stored tokens (snapped if the
    pipeline tokenized differently), without overlaps."""
    spans = [Span(ent.start_char, ent.end_char, label) for ent in doc.ents if (label := config.map_label(ent.label_))]
    if not spans:
        return ()
    tokens = Tokens(unpack_offsets(tokens_packed))  # no text: the whitespace flags are not needed here
    aligned = []
    for span in spans:
        if tokens.index_starting(span.start) is None or tokens.index_ending(span.end) is None:
            snapped = tokens.snap(span.start, span.end)
            if snapped is None:
                continue
            span = Span(*snapped, span.label)
        aligned.append(span)
    return merge_suggestions([aligned])


def _rows(store: Store, ids: list[int], chunk: int) -> Iterator[tuple[str, tuple[int, bytes]]]:
    for at in range(0, len(ids), chunk):
        for doc_id, text, tokens in store.texts_and_tokens(ids[at : at + chunk]):
            yield text, (doc_id, tokens)


def run_highlighter(
    store: Store,
    config: LabelsConfig,
    highlighter: Highlighter,
    ids: list[int],
    replace: bool = False,
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    advance: Callable[[int], None] = lambda n: None,
    scored: bool = False,
) -> int:
    """Suggestions from one highlighter for these documents, written every few batches.
    ``scored``: with each document's confidence too, where the pipeline gives one
    (``confidence``: a beam search beside the parse, in this process)."""
    from annotator.usecases.confidence import scored_pipe

    pending: list[tuple[int, str, tuple[Span, ...]]] = []
    confidences: list[tuple[int, str, float | None]] = []
    written = 0
    rows = _rows(store, ids, batch_size * 4)
    if scored:
        docs = scored_pipe(highlighter.nlp, rows, batch_size)
    else:
        plain = highlighter.nlp.pipe(rows, as_tuples=True, batch_size=batch_size, n_process=n_process)
        docs = ((doc, context, None) for doc, context in plain)
    for doc, (doc_id, tokens), confidence in docs:
        pending.append((doc_id, highlighter.source, doc_spans(doc, doc.text, tokens, config)))
        if confidence is not None:
            confidences.append((doc_id, highlighter.source, confidence))
        if len(pending) >= batch_size * 4:
            written += _write(store, pending, confidences, replace)
            advance(len(pending))
            pending, confidences = [], []
    if pending:
        written += _write(store, pending, confidences, replace)
        advance(len(pending))
    return written


def _write(store: Store, pending: list, confidences: list, replace: bool) -> int:
    with store.write():  # the spans and their confidences together
        written = store.add_suggestions(pending, replace=replace)
        if confidences:
            store.set_confidences(confidences)
    return written


def preannotate(
    store: Store,
    config: LabelsConfig,
    dataset: str,
    highlighters: Iterable[Highlighter],
    replace: bool = False,
    n_process: int = 1,
    batch_size: int = BATCH_SIZE,
    progress: bool = True,
) -> dict[str, int]:
    """Fill in documents without suggestions from each source; with ``replace``, redo
    every document nobody has answered yet. Returns {source: documents done}."""
    from annotator.usecases.progress import progress_bar

    done = {}
    for highlighter in highlighters:
        if replace:
            ids = store.unanswered_documents(dataset)
        else:
            ids = store.documents_without_suggestions(dataset, highlighter.source)
        with progress_bar(f"pre-highlighting with {highlighter.source}", total=len(ids)) as advance:
            done[highlighter.source] = run_highlighter(
                store, config, highlighter, ids, replace, n_process, batch_size, advance
            )
    return done


_cache: dict[tuple, tuple[list[Highlighter], list[str]]] = {}


def project_highlighters(config: LabelsConfig) -> tuple[list[Highlighter], list[str]]:
    """The project's model and patterns, loaded once per process, with the notes loading
    gave (a model not installed...), so a screen can show them as well as the console."""
    key = (config.resolve(config.model), config.resolve(config.patterns), config.lang)
    if key not in _cache:
        notes: list[str] = []
        _cache[key] = load_highlighters(config, note=notes.append), notes
    return _cache[key]


def model_notices(store: Store, config: LabelsConfig, dataset: str) -> list[str]:
    """What a newcomer must know before annotating: the notes of loading the model and
    patterns, and, per source, the unanswered documents it never pre-highlighted though
    others did (``model:`` or ``patterns:`` changed since), with the command that fills them."""
    highlighters, notes = project_highlighters(config)
    notices = list(notes)
    bare = None
    for highlighter in highlighters:
        missing = store.documents_without_suggestions(dataset, highlighter.source, unanswered_only=True)
        if missing:
            bare = set(store.documents_without_suggestions(dataset)) if bare is None else bare
            stale = [i for i in missing if i not in bare]  # the screen's worker fills only documents with none
            if stale:
                notices.append(
                    f"{len(stale)} documents of {dataset!r} have no suggestions from {highlighter.source} "
                    "(labels.yaml changed since they were pre-highlighted); "
                    f"run `{fill_command(store, config, dataset)}`"
                )
    return notices


def fill_command(store: Store, config: LabelsConfig, dataset: str) -> str:
    """The exact ``annotator preannotate`` that fills them in: the store and labels.yaml
    named unless they are the ones it would use by default (here, in this folder)."""
    words = ["annotator", "preannotate", "--dataset", dataset]
    default_db = Path(os.environ.get("ANNOTATOR_DB") or "annotations.db")
    if Path(store.path).resolve() != default_db.resolve():
        words += ["--db", str(store.path)]
    if config.path is not None and config.path.resolve() != Path("labels.yaml").resolve():
        words += ["--labels", str(config.path)]
    return shlex.join(words)


def suggest_documents(store: Store, config: LabelsConfig, document_ids: Iterable[int]) -> int:
    """Compute and store suggestions for these documents from the project's model and
    patterns (for a background worker; pipelines are loaded once per process). Sources
    that already have suggestions for a document are kept. Returns rows stored."""
    ids = list(document_ids)
    return sum(run_highlighter(store, config, highlighter, ids) for highlighter in project_highlighters(config)[0])
