"""Side by side with Stanford GloVe: the same tokens, alternating runs, one JSON line per stage.

DIR is a folder holding a Stanford GloVe build (``vocab_count``, ``cooccur``, ``shuffle``,
``glove``): build stanfordnlp/GloVe at commit 52f7dbc outside this repository (never commit it)::

    git --git-dir=<mirror> archive 52f7dbc | tar x -C /tmp/stanford && make -C /tmp/stanford
    python benchmarks/bench_vs_stanford.py --stanford /tmp/stanford/build [--repeats 3]

Both sides read one pre-tokenized copy of the corpus (our default tokenization, one paragraph per
line) with min_count 5, window 10 (symmetric, 1/d), vector_size 100, x_max 10, 2 threads each.
Stages (``--stages``, comma-separated):

- ``count``: Stanford's ``vocab_count`` + ``cooccur`` against the whole ``glove-gensim cooccur``
  process on the pre-tokenized file, and on the raw text with the default regex tokenizer.
- ``epoch``: one ``glove`` iteration against one CPU-engine epoch on the same counts, timed per
  epoch inside each process (Stanford: the arrival of its per-iteration cost lines), over
  ``--epoch-iters`` epochs; the median epoch of each run, medians over ``--repeats`` pairs.
- ``quality``: one 25-epoch run of each: the cost of every epoch, wordsim353 and simlex999 of the
  exported W + W~ (Stanford's ``-model 2``).
- ``text2vec``: the whole text -> vectors run (vocabulary, counting, shuffle, 25 epochs, writing
  vectors.txt) as processes, ``--text2vec-repeats`` pairs.

Every stage alternates Stanford and ours, Stanford first; ratios are ours / Stanford's medians.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, emit, require, similarity_scores  # noqa: E402

SETTINGS = {"min_count": 5, "window": 10, "vector_size": 100, "x_max": 10.0, "threads": 2}
STANFORD_TOOLS = ("vocab_count", "cooccur", "shuffle", "glove")


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or platform's guess elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


class Run:
    """Wall seconds, peak RSS (MB) and stderr lines with arrival times of a finished process."""

    def __init__(self, command: list[str], stdin: Path | None = None, stdout: Path | None = None,
                 cwd: Path | None = None) -> None:
        self.command = command
        source = open(stdin, "rb") if stdin else subprocess.DEVNULL
        sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=source, stdout=sink, stderr=subprocess.PIPE, cwd=cwd)
        self.lines: list[tuple[float, str]] = []
        for raw in process.stderr:
            self.lines.append((time.perf_counter() - start, raw.decode("utf-8", "replace").rstrip()))
        _, status, usage = os.wait4(process.pid, 0)
        self.seconds = time.perf_counter() - start
        self.rss_mb = usage.ru_maxrss / 1024
        for handle in (source, sink):
            if hasattr(handle, "close"):
                handle.close()
        if status != 0:
            tail = "\n".join(line for _, line in self.lines[-20:])
            sys.exit(f"command failed ({status}): {shlex.join(command)}\n{tail}")


class Stanford:
    """Stanford GloVe's four tools in one work folder."""

    def __init__(self, build: Path, work: Path) -> None:
        missing = [tool for tool in STANFORD_TOOLS if not (build / tool).is_file()]
        if missing:
            sys.exit(f"--stanford {build}: missing {', '.join(missing)} (build stanfordnlp/GloVe there)")
        self.build, self.work = build, work

    def tool(self, name: str, *flags) -> list[str]:
        return [str(self.build / name), *map(str, flags)]

    def count(self, tokens: Path) -> list[Run]:
        vocab, cooc = self.work / "vocab.txt", self.work / "cooccurrence.bin"
        return [Run(self.tool("vocab_count", "-min-count", SETTINGS["min_count"], "-verbose", 0),
                    stdin=tokens, stdout=vocab),
                Run(self.tool("cooccur", "-memory", 4.0, "-vocab-file", vocab, "-verbose", 0,
                              "-window-size", SETTINGS["window"]), stdin=tokens, stdout=cooc)]

    def shuffle(self) -> Run:
        return Run(self.tool("shuffle", "-memory", 4.0, "-verbose", 0, "-seed", 1),
                   stdin=self.work / "cooccurrence.bin", stdout=self.work / "cooccurrence.shuf.bin")

    def glove(self, iterations: int) -> Run:
        return Run(self.tool("glove", "-save-file", self.work / "vectors", "-threads", SETTINGS["threads"],
                             "-input-file", self.work / "cooccurrence.shuf.bin", "-x-max", SETTINGS["x_max"],
                             "-iter", iterations, "-vector-size", SETTINGS["vector_size"], "-binary", 0,
                             "-vocab-file", self.work / "vocab.txt", "-verbose", 2, "-seed", 1))

    @staticmethod
    def epochs(run: Run) -> tuple[list[float], list[float]]:
        """Per-iteration seconds (between consecutive cost lines; the first from the previous
        line) and costs, parsed from ``glove -verbose 2``."""
        times, costs = [], []
        previous = None
        for arrival, line in run.lines:
            if ", iter: " in line and "cost: " in line:
                costs.append(float(line.rsplit("cost: ", 1)[1]))
                if previous is not None:
                    times.append(arrival - previous)
                previous = arrival
            elif previous is None and line.startswith("Using random seed"):
                previous = arrival
        return times, costs


def ours_cli(*arguments) -> list[str]:
    return [sys.executable, "-m", "glove_gensim.cli", *map(str, arguments), "-q"]


def corpus_flags(tokens: Path) -> list[str]:
    return [str(tokens), "--tokenizer", "whitespace", "--line-is-document",
            "--min-count", str(SETTINGS["min_count"]), "--window", str(SETTINGS["window"])]


_TRAIN_SCRIPT = """
import json, sys
from glove_gensim.cooccur import Cooccurrence
from glove_gensim.model import GloVe
c = Cooccurrence.load(sys.argv[1])
model = GloVe.from_cooccurrence(c, vector_size={vector_size}, x_max={x_max}, epochs=int(sys.argv[2]),
                                engine=sys.argv[3], workers={threads}, seed=1).train()
scores = {{}}
if sys.argv[4] == "1":
    sys.path.insert(0, {benchmarks!r})
    from _common import similarity_scores
    scores = similarity_scores(model.wv)
print(json.dumps({{"epoch_seconds": model.epoch_seconds, "costs": model.loss_history, "scores": scores}}))
"""


def ours_train(counts: Path, epochs: int, engine: str, with_scores: bool) -> tuple[Run, dict]:
    script = _TRAIN_SCRIPT.format(benchmarks=str(Path(__file__).resolve().parent), **SETTINGS)
    with tempfile.NamedTemporaryFile("w+", suffix=".json") as result:
        run = Run([sys.executable, "-c", script, str(counts), str(epochs), engine, str(int(with_scores))],
                  stdout=Path(result.name))
        return run, json.loads(Path(result.name).read_text())


def median(values) -> float:
    return round(statistics.median(values), 3)


def ratio_record(stage: str, stanford: list[float], ours: list[float], **extra) -> dict:
    return {"benchmark": "vs_stanford", "stage": stage, "cpu": cpu_model(),
            "stanford_seconds": [round(s, 3) for s in stanford], "ours_seconds": [round(s, 3) for s in ours],
            "stanford_median": median(stanford), "ours_median": median(ours),
            "ratio": round(statistics.median(ours) / statistics.median(stanford), 3), **extra}


def stage_count(stanford: Stanford, tokens: Path, raw: Path, repeats: int, work: Path) -> Path:
    counts = work / "ours_counts.npz"
    subprocess.run(ours_cli("cooccur", *corpus_flags(tokens), "--out", work / "warmup.npz"), check=True)
    s_times, s_rss, tok_times, tok_rss, raw_times, raw_rss = [], [], [], [], [], []
    for _ in range(repeats):
        runs = stanford.count(tokens)
        s_times.append(sum(r.seconds for r in runs))
        s_rss.append(max(r.rss_mb for r in runs))
        run = Run(ours_cli("cooccur", *corpus_flags(tokens), "--out", counts))
        tok_times.append(run.seconds)
        tok_rss.append(run.rss_mb)
        run = Run(ours_cli("cooccur", raw, "--min-count", SETTINGS["min_count"], "--window", SETTINGS["window"],
                           "--out", work / "ours_raw.npz"))
        raw_times.append(run.seconds)
        raw_rss.append(run.rss_mb)
    emit(ratio_record("count_pretokenized", s_times, tok_times, stanford_peak_rss_mb=max(s_rss),
                      ours_peak_rss_mb=max(tok_rss), rss_ratio=round(max(tok_rss) / max(s_rss), 3)))
    emit(ratio_record("count_raw_regex_vs_stanford_pretokenized", s_times, raw_times,
                      stanford_peak_rss_mb=max(s_rss), ours_peak_rss_mb=max(raw_rss)))
    return counts


def stage_epoch(stanford: Stanford, counts: Path, iterations: int, repeats: int, engine: str) -> None:
    stanford.shuffle()
    s_epochs, o_epochs, s_rss, o_rss = [], [], [], []
    for _ in range(repeats):
        run = stanford.glove(iterations)
        s_epochs.append(statistics.median(Stanford.epochs(run)[0]))
        s_rss.append(run.rss_mb)
        run, result = ours_train(counts, iterations, engine, with_scores=False)
        o_epochs.append(statistics.median(result["epoch_seconds"]))
        o_rss.append(run.rss_mb)
    emit(ratio_record("epoch", s_epochs, o_epochs, engine=engine, epochs_per_run=iterations,
                      stanford_peak_rss_mb=max(s_rss), ours_peak_rss_mb=max(o_rss)))


def stage_quality(stanford: Stanford, counts: Path, epochs: int, engine: str) -> None:
    from glove_gensim.io import load_glove

    run = stanford.glove(epochs)
    s_times, s_costs = Stanford.epochs(run)
    s_scores = similarity_scores(load_glove(stanford.work / "vectors.txt"))
    _, result = ours_train(counts, epochs, engine, with_scores=True)
    costs = result["costs"]
    emit({"benchmark": "vs_stanford", "stage": "quality", "cpu": cpu_model(), "engine": engine,
          "epochs": epochs, "stanford_costs": [round(c, 5) for c in s_costs],
          "ours_costs": [round(c, 5) for c in costs],
          "cost_relative_difference": {str(e): round(costs[e - 1] / s_costs[e - 1] - 1, 4)
                                       for e in (5, 10, 25) if e <= min(len(costs), len(s_costs))},
          "stanford_scores": s_scores, "ours_scores": result["scores"],
          "stanford_epoch_median": median(s_times), "ours_epoch_median": median(result["epoch_seconds"])})


def stage_text2vec(stanford: Stanford, tokens: Path, repeats: int, epochs: int, engine: str, work: Path) -> None:
    s_times, o_times, s_rss, o_rss = [], [], [], []
    for _ in range(repeats):
        runs = [*stanford.count(tokens), stanford.shuffle(), stanford.glove(epochs)]
        s_times.append(sum(r.seconds for r in runs))
        s_rss.append(max(r.rss_mb for r in runs))
        run = Run(ours_cli("train", *corpus_flags(tokens), "--x-max", SETTINGS["x_max"], "--vector-size",
                           SETTINGS["vector_size"], "--epochs", epochs, "--engine", engine, "--threads",
                           SETTINGS["threads"], "--out", work / "ours_vectors"))
        o_times.append(run.seconds)
        o_rss.append(run.rss_mb)
    emit(ratio_record("text2vec", s_times, o_times, engine=engine, epochs=epochs,
                      stanford_peak_rss_mb=max(s_rss), ours_peak_rss_mb=max(o_rss)))


def write_pretokenized(source: Path, target: Path) -> None:
    """Our default tokenization of ``source``, one paragraph per line (both sides read it)."""
    from glove_gensim.corpus import Corpus

    with open(target, "w", encoding="utf-8") as handle:
        for document in Corpus(source):
            handle.write(" ".join(document) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stanford", type=Path, required=True, help="folder of a Stanford GloVe build")
    parser.add_argument("--corpus", type=Path, default=POLITICAL)
    parser.add_argument("--stages", default="count,epoch,quality,text2vec")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epoch-iters", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--text2vec-repeats", type=int, default=3)
    parser.add_argument("--engine", default="cpu")
    args = parser.parse_args()
    stages = args.stages.split(",")
    unknown = set(stages) - {"count", "epoch", "quality", "text2vec"}
    if unknown:
        parser.error(f"--stages: unknown {sorted(unknown)}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        stanford = Stanford(args.stanford.resolve(), work)
        tokens = work / "tokens.txt"
        write_pretokenized(require(args.corpus), tokens)
        if "count" in stages:
            counts = stage_count(stanford, tokens, args.corpus, args.repeats, work)
        else:
            counts = work / "ours_counts.npz"
            stanford.count(tokens)
            Run(ours_cli("cooccur", *corpus_flags(tokens), "--out", counts))
        if "epoch" in stages:
            stage_epoch(stanford, counts, args.epoch_iters, args.repeats, args.engine)
        if "quality" in stages:
            stanford.shuffle()
            stage_quality(stanford, counts, args.epochs, args.engine)
        if "text2vec" in stages:
            stage_text2vec(stanford, tokens, args.text2vec_repeats, args.epochs, args.engine, work)


if __name__ == "__main__":
    main()
