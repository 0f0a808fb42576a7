"""The CLI's flags: one meaning per name, defaults held by the library, checked before any work."""
import argparse
import logging
import subprocess
import sys
import time

import pytest

from glove_gensim.cli import build_parser, main
from glove_gensim.cli.options import GLOVE, SGNS, corpus_options, library_default, library_kwargs
from glove_gensim.corpus import CorpusOptions
from tests.conftest import REPO

MINIMAL = {"vocab": ["c.txt", "--out", "v.txt"], "cooccur": ["c.txt", "--out", "c.npz"],
           "train": ["c.txt", "--out", "run"], "baseline": ["c.txt", "--out", "run"],
           "neighbors": ["v.txt", "word"], "evaluate": ["v.txt"], "compare": ["c.txt", "--out", "report"]}


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("the cat sat on the mat\n\nthe dog sat on the log\n")
    return path


def parse(command, *extra):
    return build_parser().parse_args([command, *MINIMAL[command], *extra])


@pytest.mark.parametrize("command", sorted(MINIMAL))
def test_every_bound_default_is_read_from_the_library(command):
    args = parse(command)
    assert args.bound or command == "evaluate", "commands that set library parameters bind their flags"
    for bound in args.bound:
        if not bound.optional:
            library_default(bound.target, bound.parameter)  # LookupError if the library lost it
        assert bound.dest not in args, f"{bound.flag} holds a default of its own"


def test_help_shows_the_library_defaults(capsys):
    from baselines.sgns import SkipGramNS
    from glove_gensim.model import GloVe

    assert main(["train", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"weighting exponent of f(x) (default: {library_default(GLOVE, 'alpha')})" in text
    assert library_default(GLOVE, "alpha") == 0.75 and GloVe(vector_size=3).alpha == 0.75
    assert main(["baseline", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"--min-learning-rate ETA final learning rate (default: {SkipGramNS(vector_size=3).min_alpha})" in text


def test_a_flag_name_means_one_thing_in_every_command():
    meanings = {}
    for command in MINIMAL:
        args = parse(command)
        for bound in args.bound:
            if bound.target not in (GLOVE, SGNS):
                continue
            meanings.setdefault(bound.flag, set()).add(bound.parameter if bound.target == GLOVE else
                                                       {"alpha": "learning_rate", "min_alpha": "min_learning_rate"}
                                                       .get(bound.parameter, bound.parameter))
    assert meanings["--learning-rate"] == {"learning_rate"}
    assert meanings["--alpha"] == {"alpha"}  # GloVe's weighting exponent only
    assert meanings["--threads"] == {"workers"}
    assert "--workers" not in meanings and "--min-alpha" not in meanings
    with pytest.raises(SystemExit):
        parse("baseline", "--alpha", "0.1")
    assert parse("cooccur", "--backend", "dask", "--dask-workers", "3").dask_workers == 3


def test_nothing_reaches_the_library_unless_given():
    assert library_kwargs(parse("train"), GLOVE) == {}
    args = parse("train", "--engine", "cpu", "--threads", "3", "--alpha", "0.5", "--tokenizer", "whitespace")
    assert library_kwargs(args, GLOVE) == {"engine": "cpu", "workers": 3, "alpha": 0.5}
    assert corpus_options(args) == {"corpus_options": CorpusOptions(tokenizer="whitespace")}
    assert corpus_options(parse("train")) == {}
    args = parse("baseline", "--learning-rate", "0.01", "--min-learning-rate", "0.001")
    assert library_kwargs(args, SGNS) == {"alpha": 0.01, "min_alpha": 0.001}


class Captured(Exception):
    pass


def capture(monkeypatch, module, name):
    seen = {}

    def record(*args, **kwargs):
        seen.update(kwargs)
        raise Captured

    monkeypatch.setattr(module, name, record)
    return seen


def test_train_passes_engine_and_threads_only_when_given(monkeypatch, corpus_file, tmp_path):
    import glove_gensim.model

    seen = capture(monkeypatch, glove_gensim.model, "GloVe")
    with pytest.raises(Captured):
        main(["train", str(corpus_file), "--out", str(tmp_path / "r"), "-q"])
    assert seen == {"progress": False}
    seen.clear()
    with pytest.raises(Captured):
        main(["train", str(corpus_file), "--out", str(tmp_path / "r"), "--engine", "cpu", "--threads", "2"])
    assert seen == {"progress": True, "engine": "cpu", "workers": 2}


def test_baseline_engines(monkeypatch, corpus_file, tmp_path, capsys):
    import baselines.sgns
    import baselines.word2vec

    seen = capture(monkeypatch, baselines.sgns, "SkipGramNS")
    with pytest.raises(Captured):
        main(["baseline", str(corpus_file), "--out", str(tmp_path / "r"), "--engine", "auto", "--learning-rate", "0.01"])
    assert seen == {"progress": True, "engine": "auto", "alpha": 0.01}
    seen = capture(monkeypatch, baselines.word2vec, "train_word2vec")
    with pytest.raises(Captured):
        main(["baseline", str(corpus_file), "--out", str(tmp_path / "r"), "--engine", "gensim", "--threads", "3",
              "--learning-rate", "0.05", "--window", "3", "--min-count", "1", "-q"])
    assert seen == {"workers": 3, "alpha": 0.05, "window": 3}
    assert main(["baseline", str(corpus_file), "--out", str(tmp_path / "r"), "--engine", "gensim",
                 "--batch-size", "8", "--shuffle", "-q"]) == 2
    err = capsys.readouterr().err
    assert "--batch-size, --shuffle" in err and "--engine" in err


def test_word2vec_defaults_are_skipgramns_defaults():
    import inspect

    from baselines.sgns import SkipGramNS
    from baselines.word2vec import SHARED_PARAMETERS, sgns_defaults

    signature = inspect.signature(SkipGramNS).parameters
    expected = {name: signature[name].default for name in SHARED_PARAMETERS}
    assert expected["vector_size"] is None  # unset: SkipGramNS resolves it to 100 without init_vectors
    assert sgns_defaults() == {**expected, "vector_size": SkipGramNS().vector_size}


BAD = [("cooccur", "--window", "0"), ("cooccur", "--min-count", "0"), ("cooccur", "--memory-limit", "lots"),
       ("vocab", "--dask-workers", "0"), ("train", "--vector-size", "0"), ("train", "--epochs", "-1"),
       ("train", "--x-max", "0"), ("train", "--alpha", "nan"), ("train", "--learning-rate", "-1"),
       ("train", "--threads", "0"), ("train", "--checkpoint-every", "0"), ("baseline", "--negative", "0"),
       ("baseline", "--sample", "-0.1"), ("baseline", "--window", "x"), ("neighbors", "-k", "0"),
       ("compare", "--glove-epochs", "0")]


@pytest.mark.parametrize("command, flag, value", BAD)
def test_bad_values_stop_before_reading_with_the_flag_named(command, flag, value, monkeypatch, capsys,
                                                            corpus_file, tmp_path):
    import glove_gensim.corpus

    def never(*args, **kwargs):
        raise AssertionError("the corpus was read before the arguments were checked")

    monkeypatch.setattr(glove_gensim.corpus, "iter_text_documents", never)
    argv = [command, *MINIMAL[command], flag, value]
    argv = [str(corpus_file) if a == "c.txt" else str(tmp_path / a) if a in ("c.npz", "v.txt", "run", "report") else a
            for a in argv]
    start = time.perf_counter()
    assert main(argv) == 2
    assert time.perf_counter() - start < 2
    err = capsys.readouterr().err
    assert f"argument {flag}" in err and err.count("error:") == 1


def test_out_naming_an_existing_file_says_what_to_pass(tmp_path, corpus_file, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["train", str(corpus_file), "--out", str(afile)]) == 2
    err = capsys.readouterr().err
    assert "Errno" not in err and "is an existing file" in err and "pass a new or existing folder" in err
    assert main(["cooccur", str(corpus_file), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "pass a file path" in err
    assert main(["vocab", str(corpus_file), "--out", str(afile / "v.txt")]) == 2
    assert "afile is a file" in capsys.readouterr().err
    assert afile.read_text() == "x"


def test_input_errors_exit_2_once_and_bugs_keep_their_traceback(tmp_path, monkeypatch, capsys, caplog):
    vectors = tmp_path / "v.txt"
    vectors.write_text("2 2\na 1 0\nb 0 1\n")
    assert main(["neighbors", str(vectors), "nope", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("'nope' is not in") == 1 and not [r for r in caplog.records if r.levelno >= logging.ERROR]
    import glove_gensim.io

    def bug(path, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(glove_gensim.io, "load_glove", bug)
    with pytest.raises(TypeError, match="a bug"):
        main(["neighbors", str(vectors), "a"])

    def dependency_value_error(path, **kwargs):  # a ValueError raised outside our packages is a bug too
        raise ValueError("inside a dependency")

    monkeypatch.setattr(glove_gensim.io, "load_glove", dependency_value_error)
    with pytest.raises(ValueError, match="inside a dependency"):
        main(["neighbors", str(vectors), "a"])
    monkeypatch.undo()
    assert main(["neighbors", str(tmp_path / "missing.txt"), "a"]) == 2


def test_version_and_module_entry_point():
    from glove_gensim import __version__

    completed = subprocess.run([sys.executable, "-m", "glove_gensim.cli", "--version"], capture_output=True,
                               text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert completed.returncode == 0 and completed.stdout.strip() == f"glove-gensim {__version__}"
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["glove-gensim"] == "glove_gensim.cli.app:run"
    assert "glove_gensim.cli" in project["tool"]["setuptools"]["packages"]
    assert (REPO / "LICENSE").read_text().startswith("MIT License") and project["project"]["license"] == "MIT"
    assert f"## {__version__}" in (REPO / "CHANGELOG.md").read_text()


def test_other_libraries_log_only_warnings(tmp_path):
    """JAX's 'Unable to initialize backend' and the like are INFO: not in our logs."""
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b a b c\n")
    script = ("import logging, sys\nfrom glove_gensim.cli import main\n"
              f"assert main(['vocab', {str(corpus)!r}, '--min-count', '1', '--out', {str(tmp_path / 'v.txt')!r}]) == 0\n"
              "print(logging.getLogger('jax._src.xla_bridge').isEnabledFor(logging.INFO),"
              " logging.getLogger('glove_gensim.vocab').isEnabledFor(logging.INFO))")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                               env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["False", "True"]
    assert "INFO : wrote 3 words" in completed.stderr
