import json
import re

import pytest

from evaluation import Report, compare, summary_table


def test_files_written(built_report):
    assert isinstance(built_report, Report)
    for kind in ("html", "md", "json"):
        path = built_report.paths[kind]
        assert path.is_file() and path.stat().st_size > 0 and path.name == f"report.{kind}"
    leftovers = [p for p in built_report.paths["html"].parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_json_has_every_model_number_and_figure(built_report):
    data = json.loads(built_report.paths["json"].read_text(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert data["models"] == ["glove", "sgns"]
    assert set(data["figures"]) == set(built_report.figures)
    assert {"loss", "similarity_scores"} <= set(data["figures"])
    assert any(name.startswith("neighbors_") for name in data["figures"])
    for ds in ("wordsim353", "simlex999"):
        for m in ("glove", "sgns"):
            res = built_report.similarity[ds][m]
            assert data["similarity"][ds][m]["spearman"] == pytest.approx(res.spearman)
            assert data["similarity"][ds][m]["oov_words"] == res.oov_words
            assert data["similarity_intervals"][ds][m]["low"] == pytest.approx(
                built_report.similarity_intervals[ds][m].low)
    assert {c["dataset"] for c in data["comparisons"]} == {"wordsim353", "simlex999", "questions-words (3cosadd)",
                                                          "questions-words (3cosmul)"}
    for meth in ("3cosadd", "3cosmul"):
        assert data["analogy"][meth]["glove"]["accuracy"] == pytest.approx(built_report.analogy[meth]["glove"].accuracy)
        assert len(data["analogy"][meth]["glove"]["sections"]) == 14
    assert data["neighbors"]["oov"]["glove"] == ["unicorn"]
    assert data["losses"]["sgns"] == [2.5, 2.1, 1.9]
    # every number shown in the HTML tables is in the JSON: spot-check the formatted Spearman values
    html = built_report.paths["html"].read_text()
    for ds, per in data["similarity_intervals"].items():
        for iv in per.values():
            assert f"{iv['estimate']:.4f} [{iv['low']:.4f}, {iv['high']:.4f}]" in html


def test_html_is_self_contained(built_report):
    html = built_report.paths["html"].read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # the library embedded once
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)  # nothing fetched from the network
    assert html.count('class="plotly-graph-div"') == len(built_report.figures) >= 3
    assert "unicorn" in html and "glove" in html and "sgns" in html


def test_markdown_and_summary(built_report):
    md = built_report.paths["md"].read_text()
    assert "## Word similarity" in md and "## Paired bootstrap comparisons" in md and "| glove |" in md
    text = summary_table(built_report)
    lines = text.splitlines()
    assert lines[0].split()[0] == "model" and "wordsim353" in lines[0]
    assert lines[2].startswith("glove") and lines[3].startswith("sgns")


def test_neighbor_maps_use_umap(built_report):
    maps = [f for name, f in built_report.figures.items() if name.startswith("neighbors_")]
    assert len(maps) == 2 and "UMAP" in maps[0].layout.title.text
    assert any(t.marker.symbol == "star" for t in maps[0].data)


def test_compare_custom_sets_dark_pca(report_models, tmp_path):
    pairs = tmp_path / "mine.txt"
    pairs.write_text("# my set\nking queen 9\nman woman 8\nking man 5\nqueen woman 5\nparis king 1\nzzz king 3\n")
    questions = tmp_path / "q.txt"
    questions.write_text(": family\nking queen man woman\nman woman king queen\nboy girl king queen\n")
    rep = compare(report_models, losses=None, out_dir=tmp_path / "out", similarity_sets=[pairs],
                  analogy_file=questions, template="dark", n_boot=100, map_method="pca", n_maps=1,
                  analogy_methods=("3cosadd",))
    assert list(rep.similarity) == ["mine"] and rep.similarity["mine"]["glove"].oov_words == {"zzz": 1}
    assert rep.figures["loss"].layout.template.layout.paper_bgcolor == "#16181d"
    assert "no training losses given" in rep.notes
    assert (tmp_path / "out" / "report.html").is_file()
    # rewriting replaces the files atomically
    first = (tmp_path / "out" / "report.json").read_text()
    compare(report_models, out_dir=tmp_path / "out", similarity_sets=[pairs], analogy_file=questions,
            n_boot=100, map_method="pca", n_maps=0, analogy_methods=("3cosadd",))
    assert json.loads((tmp_path / "out" / "report.json").read_text())["config"]["template"] == "glove_gensim_light"
    assert json.loads(first)["config"]["template"] == "glove_gensim_dark"
    with pytest.raises(ValueError, match="at least one model"):
        compare({}, out_dir=tmp_path)
