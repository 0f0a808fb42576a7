"""Train GloVe, SGNS and gensim's Word2Vec on one corpus (over seeds and a settings grid) and report.

:func:`run_comparison` is everything ``glove-gensim compare`` does: it reads the vocabulary once,
counts GloVe's co-occurrences once per counting setting, then for every seed and every grid
variant trains GloVe, our SGNS and gensim's ``Word2Vec(sg=1)`` over that vocabulary with a
:class:`~evaluation.curves.CurveRecorder` (per-epoch seconds, loss and similarity scores) and a
:class:`~evaluation.cost.MemorySampler`, scores GloVe's ``W``, ``W~`` and ``W + W~`` as three
models of one run, and hands everything to :func:`evaluation.report.build_report`.

A grid (``{"x_max": [10, 100], "sgns_epochs": [5, 15]}``) trains each model with every
combination of the values that concern it. A key names its model with a prefix (``glove_``,
``sgns_`` — which also sets gensim's Word2Vec, for the parameters it knows — or ``word2vec_``);
unprefixed keys are accepted where the model is unambiguous (``x_max`` is GloVe's,
``negative`` SGNS's, ``vector_size`` everyone's).

Examples
--------
>>> parse_grid(["x_max=10,100", "sgns_epochs=5,15"])
{'x_max': [10, 100], 'sgns_epochs': [5, 15]}
>>> route_grid_key("sgns_epochs")
[('SGNS', 'epochs'), ('Word2Vec (gensim)', 'epochs')]
"""
from __future__ import annotations

import itertools
import logging
import os
import time
from typing import Any, Callable, Iterable, Mapping, Sequence

from evaluation.cost import MemorySampler, TrainingCost
from evaluation.curves import CurveRecorder
from evaluation.report import DEFAULT_SIMILARITY_SETS, Report, TrainedVectors, build_report, check_report_options
from evaluation.similarity import WordPairs, read_word_pairs

logger = logging.getLogger(__name__)

GLOVE, SGNS, WORD2VEC = "GloVe", "SGNS", "Word2Vec (gensim)"
IMPLEMENTATIONS = (GLOVE, SGNS, WORD2VEC)
PREFIXES = {"glove_": (GLOVE,), "sgns_": (SGNS, WORD2VEC), "word2vec_": (WORD2VEC,)}
#: Parameters gensim's Word2Vec takes through :func:`baselines.word2vec.train_word2vec`.
WORD2VEC_KEYS = frozenset({"vector_size", "window", "negative", "ns_exponent", "sample", "alpha", "min_alpha",
                           "epochs", "workers", "max_vocab_size", "hashfxn", "batch_words", "shrink_windows"})
SHARED_KEYS = frozenset({"vector_size"})
GLOVE_ONLY = frozenset({"x_max", "optimizer", "learning_rate", "symmetric", "distance_weighting", "memory_limit"})
SGNS_ONLY = frozenset({"negative", "ns_exponent", "sample", "min_alpha", "group_size", "shared_negatives",
                       "max_row_steps", "shuffle"})
#: Settings printed beside every model's scores (beside any parameter given or varied).
SHOWN = {GLOVE: ("vector_size", "window", "x_max", "epochs"), SGNS: ("vector_size", "window", "epochs", "negative"),
         WORD2VEC: ("vector_size", "window", "epochs", "negative")}
COUNTING_KEYS = ("window", "symmetric", "distance_weighting", "memory_limit")
GLOVE_VIEWS = ("W+W~", "W", "W~")
#: Parameters run_comparison sets itself: refused in the model parameters and in the grid.
OWN = frozenset({"callbacks", "vocabulary", "sentences", "corpus_file"})
#: Taken out of the model parameters and used for the whole run (what the CLI binds to every model).
RUN_WIDE = ("seed", "progress", "min_count", "max_vocab_size", "max_final_vocab")
RESERVED = OWN | frozenset(RUN_WIDE)


def parse_grid(specs: Iterable[str]) -> dict[str, list[Any]]:
    """Parse ``NAME=V1,V2`` strings (the ``--grid`` flag) into ``{name: [values]}``.

    Values become ``int``, ``float``, ``bool`` (``true``/``false``), ``None`` (``none``) or stay strings.

    Examples
    --------
    >>> parse_grid(["glove_optimizer=adagrad,adam", "shuffle=true,false"])
    {'glove_optimizer': ['adagrad', 'adam'], 'shuffle': [True, False]}
    """
    grid: dict[str, list[Any]] = {}
    for spec in specs:
        name, sep, values = str(spec).partition("=")
        name = name.strip().replace("-", "_")
        items = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not name or not items:
            raise ValueError(f"--grid {spec!r}: expected NAME=V1,V2 (e.g. --grid x_max=10,100)")
        if name in grid:
            raise ValueError(f"--grid {name} is given twice; list all its values once (NAME=V1,V2,V3)")
        route_grid_key(name)
        grid[name] = [_parse_value(v) for v in items]
    return grid


def _parse_value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def route_grid_key(key: str) -> list[tuple[str, str]]:
    """The (implementation, parameter) pairs a grid key sets.

    Examples
    --------
    >>> route_grid_key("x_max"), route_grid_key("vector_size")[2]
    ([('GloVe', 'x_max')], ('Word2Vec (gensim)', 'vector_size'))
    """
    for prefix, targets in PREFIXES.items():
        if key.startswith(prefix):
            name = key[len(prefix):]
            if not name or name in RESERVED:
                raise ValueError(f"--grid {key}: {name or 'an empty name'} cannot be varied by the grid")
            return [(t, name) for t in targets if t != WORD2VEC or name in WORD2VEC_KEYS or prefix == "word2vec_"]
    if key in RESERVED:
        raise ValueError(f"--grid {key}: {key} cannot be varied by the grid (use --seeds for seeds)")
    if key in SHARED_KEYS:
        return [(t, key) for t in IMPLEMENTATIONS]
    if key in GLOVE_ONLY:
        return [(GLOVE, key)]
    if key in SGNS_ONLY:
        return [(SGNS, key)] + ([(WORD2VEC, key)] if key in WORD2VEC_KEYS else [])
    raise ValueError(f"--grid {key}: say which model it is for, e.g. glove_{key}, sgns_{key} or word2vec_{key}")


def grid_variants(grid: Mapping[str, Sequence[Any]] | None) -> dict[str, list[dict[str, Any]]]:
    """Per implementation, the parameter overrides of each of its variants (``[{}]`` without a grid).

    Examples
    --------
    >>> grid_variants({"x_max": [10, 100]})[GLOVE], grid_variants({"x_max": [10, 100]})[SGNS]
    ([{'x_max': 10}, {'x_max': 100}], [{}])
    """
    per: dict[str, list[tuple[str, list[Any]]]] = {t: [] for t in IMPLEMENTATIONS}
    for key, values in (grid or {}).items():
        values = list(values)
        if not values:
            raise ValueError(f"grid {key!r} has no values")
        for target, name in route_grid_key(key):
            per[target].append((name, values))
    return {t: [dict(zip([n for n, _ in axes], combo)) for combo in itertools.product(*[v for _, v in axes])]
            for t, axes in per.items()}


def _variant_label(implementation: str, overrides: dict[str, Any], n_variants: int) -> str:
    if n_variants <= 1:
        return implementation
    return implementation + " " + " ".join(f"{k}={v}" for k, v in overrides.items())


def _check_params(kind: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    params = dict(params or {})
    bad = sorted(set(params) & OWN)
    if bad:
        raise ValueError(f"{kind} parameters {bad} are set by run_comparison (callbacks, one shared vocabulary, "
                         "the corpus); remove them")
    return params


def _run_wide(given: dict[str, Any], *param_sets: dict[str, Any]) -> dict[str, Any]:
    """Move :data:`RUN_WIDE` keys out of the model parameters into the run's own settings.

    ``given`` holds the explicit arguments (None: not given); a key set twice to different values
    is refused, naming both.

    Examples
    --------
    >>> glove, sgns = {"seed": 3, "x_max": 10}, {"seed": 3}
    >>> _run_wide({"seed": None, "min_count": None}, glove, sgns), glove, sgns
    ({'seed': 3, 'min_count': None}, {'x_max': 10}, {})
    """
    out = dict(given)
    for key in RUN_WIDE:
        values = {repr(p[key]): p.pop(key) for p in param_sets if key in p}
        if out.get(key) is not None:
            values.setdefault(repr(out[key]), out[key])
        if len(values) > 1:
            raise ValueError(f"{key} is given different values ({', '.join(values)}); it is one setting of the "
                             "whole comparison: give it once")
        if values:
            out[key] = next(iter(values.values()))
    return out


def _seed_list(seeds: int | Sequence[int], first_seed: int) -> list[int]:
    if isinstance(seeds, bool):
        raise TypeError("seeds must be a number of seeds or a list of seeds")
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"seeds must be >= 1 (--seeds N), not {seeds}")
        if first_seed < 0:
            raise ValueError(f"first_seed must be >= 0, not {first_seed}")
        return list(range(first_seed, first_seed + seeds))
    out = [int(s) for s in seeds]
    if not out or len(set(out)) != len(out) or min(out) < 0:
        raise ValueError(f"seeds must be distinct non-negative integers, not {seeds!r}")
    return out


def run_comparison(corpus: Any, *, seeds: int | Sequence[int] = 1, first_seed: int | None = None,
                   grid: Mapping[str, Sequence[Any]] | None = None,
                   glove_params: Mapping[str, Any] | None = None, sgns_params: Mapping[str, Any] | None = None,
                   word2vec_params: Mapping[str, Any] | None = None, with_gensim: bool = True,
                   min_count: int | None = None, max_vocab_size: int | None = None,
                   max_final_vocab: int | None = None,
                   vocabulary: Any = None, probes: Iterable[str] | None = None,
                   out_dir: str | os.PathLike | None = "report",
                   similarity_sets: Iterable[str | os.PathLike | WordPairs] | None = None,
                   analogy_file: str | os.PathLike | None = None, template: str = "light",
                   progress: bool = False, **report_options: Any) -> Report:
    """Train GloVe, SGNS and gensim's Word2Vec per seed and grid variant; evaluate; write the report.

    Parameters
    ----------
    corpus : Corpus, path or iterable of list of str
        The training text (a :class:`~glove_gensim.corpus.Corpus` keeps its reading options).
    seeds : int or sequence of int
        How many training seeds (``first_seed``, ``first_seed + 1``...) or the seeds themselves.
    first_seed : int, optional
        Default 1 (or the ``seed`` in the model parameters).
    grid : dict of str to list, optional
        Settings to vary (see :func:`parse_grid`, :func:`route_grid_key`).
    glove_params, sgns_params : dict, optional
        Keyword parameters of :class:`~glove_gensim.model.GloVe` and :class:`~baselines.sgns.SkipGramNS`
        (e.g. ``{"x_max": 10, "epochs": 25}``, ``engine``, ``workers``). ``seed``, ``progress``,
        ``min_count``, ``max_vocab_size`` and ``max_final_vocab`` found there are settings of the
        whole run (one first seed, one vocabulary), as if given to this function.
    word2vec_params : dict, optional
        gensim's Word2Vec parameters; by default the SGNS parameters it knows (so both SGNS
        implementations train alike), then these.
    with_gensim : bool
        Also train gensim's Word2Vec.
    min_count, max_vocab_size, max_final_vocab : int, optional
        The shared vocabulary (ignored when ``vocabulary`` is given); ``min_count`` defaults to 5.
    vocabulary : Vocabulary, optional
    probes : iterable of str, optional
        Extra neighbour probes.
    out_dir : path or None
        Where the report goes (None: nothing written).
    similarity_sets, analogy_file, template, **report_options
        As :func:`evaluation.report.build_report` (``n_boot``, ``k``, ``n_maps``, ...).
    progress : bool
        tqdm bars while training.

    Returns
    -------
    Report

    Examples
    --------
    A tiny comparison (most of its seconds go to compiling the training kernels, once per process):

    >>> from gensim.test.utils import common_texts
    >>> report = run_comparison(common_texts * 20, seeds=1, min_count=1, out_dir=None, with_gensim=False,
    ...                         glove_params={"vector_size": 8, "epochs": 3, "x_max": 10},
    ...                         sgns_params={"vector_size": 8, "epochs": 2, "batch_size": 64, "group_size": 8,
    ...                                      "shared_negatives": 4},
    ...                         similarity_sets=[], analogy_methods=(), n_boot=50, n_maps=0, n_default_probes=2)
    >>> report.models
    ['GloVe (W+W~)', 'GloVe (W)', 'GloVe (W~)', 'SGNS']
    >>> [len(e.curve) for e in report.runs()], report.config["training"]["vocabulary_size"]
    ([3, 2], 12)

    A bad setting is refused before anything is read or trained:

    >>> run_comparison(common_texts, glove_params={"callbacks": []})
    Traceback (most recent call last):
    ...
    ValueError: GloVe parameters ['callbacks'] are set by run_comparison (...); remove them
    """
    from glove_gensim.corpus import Corpus
    from glove_gensim.vocab import Vocabulary

    glove_base, sgns_base = _check_params("GloVe", glove_params), _check_params("SGNS", sgns_params)
    w2v_extra = _check_params("Word2Vec", word2vec_params)
    run = _run_wide({"seed": first_seed, "progress": progress or None, "min_count": min_count,
                     "max_vocab_size": max_vocab_size, "max_final_vocab": max_final_vocab},
                    glove_base, sgns_base, w2v_extra)
    seed_list = _seed_list(seeds, 1 if run["seed"] is None else run["seed"])
    progress = bool(run["progress"])
    min_count = 5 if run["min_count"] is None else run["min_count"]
    max_vocab_size, max_final_vocab = run["max_vocab_size"], run["max_final_vocab"]
    check_report_options(template=template, **report_options)
    variants = grid_variants(grid)
    if not with_gensim:
        variants[WORD2VEC] = []
    plans = _plans(variants, glove_base, sgns_base, w2v_extra)
    _validate_plans(plans)
    sets = [s if isinstance(s, WordPairs) else read_word_pairs(s)
            for s in (DEFAULT_SIMILARITY_SETS if similarity_sets is None else similarity_sets)]
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    if vocabulary is None:
        vocabulary = Vocabulary.build(corpus, min_count=min_count, max_vocab_size=max_vocab_size,
                                      max_final_vocab=max_final_vocab, progress=progress)
    tokens = int(vocabulary.counts.sum())
    counted: dict[tuple, tuple[Any, float, int]] = {}
    entries: list[TrainedVectors] = []
    for seed in seed_list:
        for implementation, label, params in plans:
            logger.info("seed %d: training %s", seed, label)
            recorder = CurveRecorder(sets)
            train = {GLOVE: _train_glove, SGNS: _train_sgns, WORD2VEC: _train_word2vec}[implementation]
            entries += train(corpus, vocabulary, params, seed, recorder, label, tokens, counted, progress)
    config = {"training": {"seeds": seed_list, "with_gensim": with_gensim, "min_count": min_count,
                           "max_vocab_size": max_vocab_size, "max_final_vocab": max_final_vocab,
                           "vocabulary_size": len(vocabulary), "corpus_tokens_in_vocabulary": tokens,
                           "corpus": getattr(corpus, "description", str(corpus)),
                           "glove_params": glove_base, "sgns_params": sgns_base, "word2vec_params": w2v_extra}}
    return build_report(entries, out_dir=out_dir, similarity_sets=sets, analogy_file=analogy_file, probes=probes,
                        template=template, grid=grid, extra_config=config,
                        **{"title": "GloVe or SGNS?", **report_options})


def _plans(variants, glove_base, sgns_base, w2v_extra) -> list[tuple[str, str, dict[str, Any]]]:
    """(implementation, label, parameters) of every model to train per seed."""
    w2v_base = {k: v for k, v in sgns_base.items() if k in WORD2VEC_KEYS}
    w2v_base.update(w2v_extra)
    bases = {GLOVE: glove_base, SGNS: sgns_base, WORD2VEC: w2v_base}
    plans = []
    for implementation in IMPLEMENTATIONS:
        for overrides in variants[implementation]:
            label = _variant_label(implementation, overrides, len(variants[implementation]))
            plans.append((implementation, label, {**bases[implementation], **overrides}))
    return plans


def _validate_plans(plans) -> None:
    """Construct every model without data, so a bad parameter fails before any training."""
    from baselines.sgns import SkipGramNS
    from glove_gensim.model import GloVe

    for implementation, label, params in plans:
        if implementation == WORD2VEC:
            unknown = sorted(set(params) - WORD2VEC_KEYS)
            if unknown:
                raise ValueError(f"{label}: gensim Word2Vec parameters {unknown} are not supported here "
                                 f"(known: {sorted(WORD2VEC_KEYS)})")
            continue
        try:
            (GloVe if implementation == GLOVE else SkipGramNS)(**params)
        except TypeError as exc:
            raise ValueError(f"{label}: {exc}") from None


def _settings(implementation: str, model: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    keys = list(dict.fromkeys([*SHOWN[implementation], *params]))
    return {k: getattr(model, k, params.get(k)) for k in keys if k not in ("engine", "workers") or k in params}


def _finish(recorder: CurveRecorder, start: float, seconds: float, peak_bytes: int, tokens: int, epochs: int,
            before: float = 0.0) -> tuple[tuple, TrainingCost]:
    """The curve (its seconds counted from the start of the run, preparation included) and the cost.

    ``before``: seconds spent for this run before ``start`` (GloVe's shared counting).
    """
    prepare = before + ((recorder.train_started or start) - start)
    train_seconds = recorder.points[-1].seconds if recorder.points else 0.0
    cost = TrainingCost(seconds=seconds, train_seconds=float(train_seconds), peak_memory_bytes=peak_bytes,
                        tokens=tokens, epochs=epochs, prepare_seconds=float(prepare))
    return recorder.shifted(prepare), cost


def _measured(train: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """Run ``train()`` under a :class:`MemorySampler`: (its result, start time, seconds, peak bytes)."""
    with MemorySampler() as memory:
        start = time.perf_counter()
        result = train()
        seconds = time.perf_counter() - start
    return result, start, seconds, memory.peak_bytes


def _train_glove(corpus, vocabulary, params, seed, recorder, label, tokens, counted, progress):
    from glove_gensim.cooccur import count_cooccurrences
    from glove_gensim.embedding import make_keyed_vectors
    from glove_gensim.model import GloVe

    probe = GloVe(**params)  # the counting settings after defaults
    key = tuple(getattr(probe, k) for k in COUNTING_KEYS)
    if key not in counted:  # one count per counting setting, shared by seeds and x_max variants
        cooccurrence, _, count_seconds, count_peak = _measured(lambda: count_cooccurrences(
            corpus, vocabulary, window=probe.window, symmetric=probe.symmetric,
            distance_weighting=probe.distance_weighting, memory_limit=probe.memory_limit, progress=progress))
        counted[key] = (cooccurrence, count_seconds, count_peak)
    cooccurrence, count_seconds, count_peak = counted[key]
    model, start, seconds, peak = _measured(lambda: GloVe.from_cooccurrence(
        cooccurrence, **params, seed=seed, callbacks=[recorder], progress=progress).train())
    curve, cost = _finish(recorder, start, seconds + count_seconds, max(peak, count_peak), tokens, model.epochs,
                          before=count_seconds)
    word, context = model.word_vectors, model.context_vectors
    views = {"W+W~": word + context, "W": word, "W~": context}
    settings = _settings(GLOVE, model, params)
    return [TrainedVectors(name=f"{label} ({view})", seed=seed, family="GloVe", implementation=GLOVE, run=label,
                           view=view, kv=make_keyed_vectors(vocabulary.words, views[view], vocabulary.counts),
                           settings=settings, curve=curve, cost=cost, primary=view == "W+W~")
            for view in GLOVE_VIEWS]


def _train_sgns(corpus, vocabulary, params, seed, recorder, label, tokens, counted, progress):
    from baselines.sgns import SkipGramNS

    measured = _measured(lambda: SkipGramNS(vocabulary=vocabulary, **params, seed=seed, callbacks=[recorder],
                                            progress=progress).train(corpus))
    return _sgns_entries(SGNS, label, seed, params, recorder, tokens, *measured)


def _train_word2vec(corpus, vocabulary, params, seed, recorder, label, tokens, counted, progress):
    from baselines.word2vec import train_word2vec

    measured = _measured(lambda: train_word2vec(corpus, vocabulary, callbacks=[recorder], **params, seed=seed)[0])
    return _sgns_entries(WORD2VEC, label, seed, params, recorder, tokens, *measured)


def _sgns_entries(implementation, label, seed, params, recorder, tokens, model, start, seconds, peak):
    curve, cost = _finish(recorder, start, seconds, peak, tokens, model.epochs)
    return [TrainedVectors(name=label, kv=model.wv, seed=seed, family="SGNS", implementation=implementation,
                           run=label, settings=_settings(implementation, model, params), curve=curve, cost=cost)]
