"""``glove-gensim neighbors``, ``evaluate`` and ``compare``: look at and score vectors."""
from __future__ import annotations

import argparse
from pathlib import Path

from glove_gensim.cli.options import (
    GLOVE,
    SGNS,
    Flags,
    add_common_flags,
    add_corpus_flags,
    add_evaluation_flags,
    add_vocabulary_flags,
    int_at_least,
    library_kwargs,
    open_corpus,
    output_folder,
    positive_float,
)
from glove_gensim.cli.bounds import check_table_memory, check_window
from glove_gensim.cli.outputs import check_output_folder, staged_folder

REPORT_FILES = ("report.html", "report.md", "report.json")

MOST_SIMILAR = "gensim.models.keyedvectors:KeyedVectors.most_similar"
REPORT = "evaluation.report:compare"


def register(commands, formatter_class: type[argparse.HelpFormatter]) -> None:
    """Add ``neighbors``, ``evaluate`` and ``compare`` to the sub-command parsers ``commands``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers(dest="command"), argparse.HelpFormatter)
    >>> library_kwargs(parser.parse_args(["neighbors", "vectors.txt", "king", "-k", "3"]), MOST_SIMILAR)
    {'topn': 3}
    """
    parser = commands.add_parser("neighbors", formatter_class=formatter_class,
                                 help="nearest neighbours from a vectors file",
                                 description="Print the nearest neighbours of WORD in VECTORS (word2vec "
                                             "text with header, Stanford text without, or .bin).")
    add_common_flags(parser)
    flags = Flags(parser)
    parser.add_argument("vectors", metavar="VECTORS")
    parser.add_argument("word", metavar="WORD")
    add_reading_flags(parser)
    flags.add(parser, "-k", type=int_at_least(1), bind=[MOST_SIMILAR], parameter="topn", help="number of neighbours")
    flags.finish(_run_neighbors, "neighbors")

    parser = commands.add_parser("evaluate", formatter_class=formatter_class,
                                 help="score vector files on similarity and analogy sets",
                                 description="Score each VECTORS file (word2vec text, Stanford text or "
                                             ".bin) on word-similarity sets (Spearman, coverage) and analogies.")
    add_common_flags(parser)
    add_evaluation_flags(parser)
    parser.add_argument("vectors", nargs="+", metavar="VECTORS")
    add_reading_flags(parser)
    parser.add_argument("--out", metavar="DIR", type=output_folder, default=None,
                        help="also write report.html / report.md / report.json comparing the files")
    Flags(parser).finish(_run_evaluate, "evaluate")

    parser = commands.add_parser("compare", formatter_class=formatter_class,
                                 help="train GloVe and SGNS on one corpus and write a comparison report",
                                 description="Train GloVe, the SGNS baseline and gensim's Word2Vec (leave "
                                             "it out with --no-with-gensim) on the same corpus and "
                                             "vocabulary, evaluate them and write DIR/report.html, "
                                             "report.md and report.json.")
    add_common_flags(parser)
    flags = Flags(parser)
    add_corpus_flags(flags)
    add_vocabulary_flags(flags, GLOVE)
    add_evaluation_flags(parser)
    parser.add_argument("--out", required=True, type=output_folder, metavar="DIR", help="output folder")
    parser.add_argument("--with-gensim", action=argparse.BooleanOptionalAction, default=True,
                        help="also train gensim's Word2Vec (sg=1) as the reference peer (default: yes)")
    group = parser.add_argument_group("training")
    flags.add(group, "--vector-size", type=int_at_least(1), metavar="N", bind=[GLOVE, SGNS],
              help="vector dimension of every model")
    flags.add(group, "--seed", type=int_at_least(0), metavar="N", bind=[GLOVE, SGNS], help="random seed")
    flags.add(group, "--glove-window", type=int_at_least(1), metavar="N", bind=[GLOVE], parameter="window",
              help="GloVe's context window")
    flags.add(group, "--glove-epochs", type=int_at_least(1), metavar="N", bind=[GLOVE], parameter="epochs",
              help="GloVe's epochs")
    flags.add(group, "--x-max", type=positive_float(), metavar="X", bind=[GLOVE], help="GloVe's weighting cutoff")
    flags.add(group, "--sgns-window", type=int_at_least(1), metavar="N", bind=[SGNS], parameter="window",
              help="SGNS's (and Word2Vec's) largest context distance")
    flags.add(group, "--sgns-epochs", type=int_at_least(1), metavar="N", bind=[SGNS], parameter="epochs",
              help="SGNS's (and Word2Vec's) epochs")
    group.add_argument("--seeds", type=int_at_least(1), default=1, metavar="N",
                       help="train every model N times, seeds SEED..SEED+N-1 (default 1)")
    group.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                       help="also train these settings (repeatable), e.g. --grid x_max=10,100 --grid "
                            "sgns_epochs=5,15; a glove_/sgns_/word2vec_ prefix names the model")
    parser.add_argument("--probe", action="append", default=None, metavar="WORD",
                        help="also show this word's neighbours (repeatable)")
    flags.add(parser, "--template", choices=("light", "dark"), bind=[REPORT], help="report colours")
    flags.finish(_run_compare, "compare")


def add_reading_flags(parser: argparse.ArgumentParser) -> None:
    """--vocab (Stanford .bin files hold no words) and --lenient, for the commands reading vectors.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_reading_flags(parser)
    >>> args = parser.parse_args(["--vocab", "vocab.txt", "--lenient"])
    >>> args.vocab, args.lenient
    ('vocab.txt', True)
    """
    group = parser.add_argument_group("reading vectors")
    group.add_argument("--vocab", metavar="FILE", default=None,
                       help="Stanford vocab.txt the vectors were trained with: needed to read Stanford's "
                            "binary vectors.bin (its rows hold no words), and gives every word its count")
    group.add_argument("--lenient", action="store_true",
                       help="accept what gensim's readers accept: NaN or inf values, and a line with more "
                            "numbers than its header declares (the extra field joins the word)")


def read_vectors(path: str, args: argparse.Namespace):
    """``path`` loaded with the reading flags (see :func:`add_reading_flags`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "v.txt"
    >>> _ = path.write_text("2 2\\nking 0.1 nan\\nqueen 0.2 0.3\\n")
    >>> read_vectors(str(path), argparse.Namespace(vocab=None, lenient=False))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ...v.txt:2: non-finite value (NaN or inf) in the vector of 'king'; pass --lenient ...
    >>> len(read_vectors(str(path), argparse.Namespace(vocab=None, lenient=True)))
    2
    """
    from glove_gensim.io import load_glove

    return load_glove(path, vocab_path=args.vocab, strict=not args.lenient)


def _run_neighbors(args: argparse.Namespace) -> None:
    kv = read_vectors(args.vectors, args)
    if args.word not in kv.key_to_index:
        raise ValueError(f"{args.word!r} is not in {args.vectors} ({len(kv)} words)")
    for neighbor, similarity in kv.most_similar(args.word, **library_kwargs(args, MOST_SIMILAR)):
        print(f"{neighbor}\t{similarity:.4f}")


def _write_report(models: dict, losses: dict, args: argparse.Namespace, probes=None) -> None:
    from evaluation import compare, summary_table

    with staged_folder(args.out) as stage:
        report = compare(models, losses=losses, out_dir=stage, similarity_sets=args.similarity,
                         analogy_file=args.analogies, probes=probes, **library_kwargs(args, REPORT))
    print(summary_table(report))
    print(f"report: {Path(args.out).resolve() / 'report.html'}")


def _run_evaluate(args: argparse.Namespace) -> None:
    if args.out:
        check_output_folder(args.out, args.vectors, REPORT_FILES)
    models = {}
    for path in args.vectors:
        name = Path(path).stem if Path(path).stem not in models else str(path)
        models[name] = read_vectors(path, args)
    if args.out:
        _write_report(models, {}, args)
        return
    from evaluation import evaluate_analogies, evaluate_similarity
    from evaluation.report import DEFAULT_SIMILARITY_SETS
    from evaluation.similarity import read_word_pairs

    analogies = {"dataset": args.analogies} if args.analogies else {}
    datasets = [read_word_pairs(spec) for spec in args.similarity or DEFAULT_SIMILARITY_SETS]
    for name, kv in models.items():
        for data in datasets:
            try:  # as in the report: a data set this file barely covers is n/a, not an abort
                result = evaluate_similarity(kv, data)
            except ValueError as exc:
                print(f"{name}\t{data.name}\tn/a ({exc})")
                continue
            print(f"{name}\t{result.dataset}\tspearman {result.spearman:.4f}\tcoverage {result.coverage:.1%}")
        result = evaluate_analogies(kv, **analogies)
        print(f"{name}\tanalogies\taccuracy {result.accuracy:.4f}\tcoverage {result.coverage:.1%}")


def _run_compare(args: argparse.Namespace) -> None:
    from evaluation import summary_table
    from evaluation.experiment import parse_grid, run_comparison

    check_output_folder(args.out, [args.corpus], REPORT_FILES)
    check_window(args, "--glove-window", "glove_window")
    check_window(args, "--sgns-window", "sgns_window")
    check_table_memory(args, batch_flag=None)
    with staged_folder(args.out) as stage:
        report = run_comparison(
            open_corpus(args), seeds=args.seeds, grid=parse_grid(args.grid), glove_params=library_kwargs(args, GLOVE),
            sgns_params=library_kwargs(args, SGNS), with_gensim=args.with_gensim, probes=args.probe,
            out_dir=stage, similarity_sets=args.similarity, analogy_file=args.analogies,
            progress=not args.quiet, **library_kwargs(args, REPORT))
    print(summary_table(report))
    print(f"report: {Path(args.out).resolve() / 'report.html'}")
