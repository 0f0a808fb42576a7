import copy
import json
import re

import numpy as np
import pytest

from evaluation import Report, compare, evaluate_similarity, holm, summary_table
from evaluation.report import build_report, comparison_pairs
from evaluation.schema import load_schema, validate, validate_report
from tests.evaluation.conftest import report_entries
from tests.evaluation.evaluation_helpers import dataset_words, make_kv


def _json(report):
    return json.loads(report.paths["json"].read_text(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_files_written(built_report):
    assert isinstance(built_report, Report)
    for kind in ("html", "md", "json"):
        path = built_report.paths[kind]
        assert path.is_file() and path.stat().st_size > 0 and path.name == f"report.{kind}"
    assert [p for p in built_report.paths["html"].parent.iterdir() if p.suffix == ".tmp"] == []


def test_json_validates_against_the_schema(built_report):
    data = _json(built_report)
    assert validate_report(data) == []
    assert data["models"] == ["glove (W+W~)", "glove (W)", "glove (W~)", "sgns"] and data["seeds"] == [1, 2]
    assert set(data["figures"]) == set(built_report.figures)
    assert {"loss", "loss_relative", "similarity_vs_epoch", "similarity_vs_seconds", "similarity_scores",
            "analogy_scores"} <= set(data["figures"])
    run = data["runs"][0]
    assert run["run"] == "glove" and run["curves"][0]["epoch"] == 1 and set(run["curves"][0]["scores"]) == {
        "wordsim353", "simlex999"}
    assert {r["run"] for r in data["runs"]} == {"glove", "sgns"} and len(data["runs"]) == 4  # 2 runs x 2 seeds
    tests = {c["test"] for c in data["comparisons"]}
    assert tests == {"williams", "mcnemar"}
    for c in data["comparisons"]:
        assert ("p_williams" in c) == (c["test"] == "williams") and ("p_mcnemar" in c) == (c["test"] == "mcnemar")


def test_schema_validator_catches_errors(built_report):
    data = _json(built_report)
    schema = load_schema()
    broken = copy.deepcopy(data)
    cmp = next(c for c in broken["comparisons"] if c["test"] == "williams")
    del cmp["p_williams"]
    broken["comparisons"][1]["p_holm"] = 1.5
    broken["runs"][0]["curves"][0]["surprise"] = 1
    broken["runs"][0]["curves"][1]["epoch"] = "two"
    del broken["verdicts"]
    errors = validate(broken, schema)
    assert any("matches none of anyOf" in e for e in errors)
    assert any("above the maximum 1" in e for e in errors)
    assert any("unexpected key 'surprise'" in e for e in errors)
    assert any("curves[1].epoch: expected integer" in e for e in errors)
    assert any("missing required key 'verdicts'" in e for e in errors)
    assert validate(True, {"type": "integer"}) == ["$: expected integer, got bool"]
    with pytest.raises(ValueError, match="unsupported keywords"):
        validate(1, {"pattern": "x"})


def test_scores_over_seeds(built_report, report_models):
    entries = report_entries(report_models)
    for e in (e for e in entries if e.name == "sgns"):
        expected = evaluate_similarity(e.kv, "wordsim353").spearman
        assert built_report.scores["wordsim353"]["sgns"].per_seed[e.seed] == pytest.approx(expected)
    s = built_report.scores["simlex999"]["glove (W+W~)"]
    values = list(s.per_seed.values())
    assert len(values) == 2 and s.mean == pytest.approx(np.mean(values))
    assert s.sd == pytest.approx(np.std(values, ddof=1)) and s.spread == (min(values), max(values))
    assert s.interval.estimate == pytest.approx(s.mean) and s.interval.low <= s.mean <= s.interval.high


def test_comparisons_on_every_seed_with_holm(built_report):
    cmps = built_report.comparisons
    assert {c.seed for c in cmps} == {1, 2}
    # GloVe's three views are compared with each other and with SGNS: 6 pairs, 4 sets, 2 seeds
    assert len(cmps) == 6 * 4 * 2
    assert [c.p_holm for c in cmps] == pytest.approx(holm([c.p_test for c in cmps]))
    assert {c.test for c in cmps if c.metric == "spearman"} == {"williams"}
    assert {c.test for c in cmps if c.metric == "accuracy"} == {"mcnemar"}
    html = built_report.paths["html"].read_text()
    assert "(Williams&#x27; t)" in html and "(exact McNemar)" in html
    assert len(built_report.verdicts) == 4
    v = built_report.verdicts[0]
    assert {v.better, v.worse} <= set(built_report.models) and v.n_seeds == 2


def test_identical_models_never_survive_holm(report_models, tmp_path):
    kv = report_models["glove"]
    twin = make_kv(list(kv.index_to_key), kv.vectors.copy())
    rep = compare({"a": kv, "b": twin}, out_dir=tmp_path, n_boot=100, n_maps=0)
    assert rep.comparisons and all(not c.significant and c.p_holm == 1.0 for c in rep.comparisons)
    assert rep.verdicts and all(not v.survives and " tie " in v.line for v in rep.verdicts)


def _informative_pairs(tmp_path, rng, n=240, dim=16):
    """A similarity file of disjoint word pairs and vectors whose cosines follow the gold scores."""
    gold = rng.uniform(0, 10, size=n)
    lines, words, vectors = [], [], []
    for i, g in enumerate(gold):
        a = rng.normal(size=dim)
        a /= np.linalg.norm(a)
        u = rng.normal(size=dim)
        u -= (u @ a) * a
        u /= np.linalg.norm(u)
        theta = (1 - g / 10) * np.pi / 2 + 0.15 * rng.normal()
        words += [f"a{i}", f"b{i}"]
        vectors += [a, np.cos(theta) * a + np.sin(theta) * u]
        lines.append(f"a{i}\tb{i}\t{g:.3f}")
    path = tmp_path / "pairs.txt"
    path.write_text("\n".join(lines) + "\n")
    return path, words, np.array(vectors)


def test_noisy_copy_differs_by_williams(tmp_path):
    rng = np.random.default_rng(4)
    path, words, vectors = _informative_pairs(tmp_path, rng)
    clean = make_kv(words, vectors)
    noisy = make_kv(words, vectors + 0.6 * rng.normal(size=vectors.shape))
    questions = tmp_path / "q.txt"
    questions.write_text(": s\na0 b0 a1 b1\na1 b1 a2 b2\na2 b2 a3 b3\n")
    rep = compare({"clean": clean, "noisy": noisy}, out_dir=tmp_path / "out", similarity_sets=[path],
                  analogy_file=questions, analogy_methods=("3cosadd",), n_boot=200, n_maps=0)
    (cmp,) = [c for c in rep.comparisons if c.test == "williams"]
    assert cmp.p_test < 0.01 and cmp.diff > 0 and cmp.significant
    assert rep.verdicts[0].better == "clean" and rep.verdicts[0].survives


def test_grid_check_and_comparison_pairs(report_models, tmp_path):
    from dataclasses import replace

    entries = [e for e in report_entries(report_models, seeds=(1,)) if e.view in ("W+W~", "")]
    variant = [replace(e, name="glove x_max=100 (W+W~)", run="glove x_max=100",
                       kv=make_kv(list(e.kv.index_to_key), e.kv.vectors * 0.5 + 0.1))
               for e in entries if e.family == "GloVe"]
    entries = entries + variant
    pairs = comparison_pairs(entries)
    assert ("glove (W+W~)", "glove x_max=100 (W+W~)") not in pairs and len(pairs) == 2
    rep = build_report(entries, out_dir=None, grid={"x_max": [10, 100]}, n_boot=50, n_maps=0,
                       analogy_methods=("3cosadd",))
    assert len(rep.grid_checks) == 3
    check = rep.grid_checks[0]
    assert check.n_combinations == 2 and check.line.startswith(check.set)
    assert ("holds across the grid" in check.line) == check.holds
    assert rep.paths == {}


def test_markdown_and_summary_show_the_same_numbers(built_report):
    md = built_report.paths["md"].read_text()
    assert "## Verdicts" in md and "## Paired comparisons" in md and "| glove (W+W~) |" in md
    assert "## Differences over seeds" in md and "| wordsim353 | glove (W+W~) − sgns |" in md
    text = summary_table(built_report)
    lines = text.splitlines()
    assert lines[0].split()[0] == "model" and "wordsim353" in lines[0] and "tokens/s" in lines[0]
    assert lines[2].startswith("glove (W+W~)") and lines[5].startswith("sgns")
    s = built_report.scores["wordsim353"]["sgns"]
    assert f"{s.mean:.3f} ±{s.sd:.3f}" in lines[5]
    for v in built_report.verdicts:
        assert v.line in text and v.line in md


def test_html_is_self_contained(built_report):
    html = built_report.paths["html"].read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # the library embedded once
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)  # nothing fetched from the network
    assert html.count('class="plotly-graph-div"') == len(built_report.figures) >= 6
    assert "unicorn" in html and "sgns" in html


def test_default_probes_are_middle_frequency_words_of_the_sets(built_report):
    probes = built_report.neighbors.probes
    assert probes[:2] == ["king", "unicorn"] and len(probes) == 6
    set_words = set(dataset_words("wordsim353.tsv")) | set(dataset_words("simlex999.txt"))
    assert set(probes[2:]) <= set_words
    assert built_report.neighbors.models == ["glove (W+W~)", "sgns"]  # W and W~ rows are not primary


def test_neighbor_maps_use_umap(built_report):
    maps = [f for name, f in built_report.figures.items() if name.startswith("neighbors_")]
    assert len(maps) == 2 and "UMAP" in maps[0].layout.title.text
    assert any(t.marker.symbol == "star" for t in maps[0].data)


def test_compare_custom_sets_dark_pca(report_models, tmp_path):
    pairs = tmp_path / "mine.txt"
    pairs.write_text("# my set\nking queen 9\nman woman 8\nking man 5\nqueen woman 5\nparis king 1\nzzz king 3\n")
    questions = tmp_path / "q.txt"
    questions.write_text(": family\nking queen man woman\nman woman king queen\nboy girl king queen\n")
    rep = compare(report_models, losses={"glove": [3.0, 2.0]}, out_dir=tmp_path / "out", similarity_sets=[pairs],
                  analogy_file=questions, template="dark", n_boot=100, map_method="pca", n_maps=1,
                  analogy_methods=("3cosadd",))
    assert list(rep.similarity) == ["mine"] and rep.similarity["mine"]["glove"].oov_words == {"zzz": 1}
    assert rep.figures["loss"].layout.template.layout.paper_bgcolor == "#16181d"
    assert validate_report(_json(rep)) == []
    first = (tmp_path / "out" / "report.json").read_text()
    rep2 = compare(report_models, out_dir=tmp_path / "out", similarity_sets=[pairs], analogy_file=questions,
                   n_boot=100, map_method="pca", n_maps=0, analogy_methods=("3cosadd",))
    assert "no training losses given" in rep2.notes and "loss" not in rep2.figures  # no empty charts
    assert json.loads((tmp_path / "out" / "report.json").read_text())["config"]["template"] == "glove_gensim_light"
    assert json.loads(first)["config"]["template"] == "glove_gensim_dark"
    with pytest.raises(ValueError, match="at least one model"):
        compare({}, out_dir=tmp_path)
    with pytest.raises(ValueError, match="not compared"):
        compare(report_models, losses={"other": [1.0]}, out_dir=tmp_path)
