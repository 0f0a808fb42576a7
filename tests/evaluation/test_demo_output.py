"""What `make demo` prints, on the shared two-seed report (the demo's training is not rerun here)."""
from evaluation.render import loss_sparklines, neighbors_side_by_side, sparkline
from glove_gensim.demo import LARGER, describe


def test_demo_printout(built_report):
    text = describe(built_report)
    probes = built_report.neighbors.probes[:3]
    for probe in probes:
        assert f"nearest neighbours of '{probe}'" in text
    assert "(not in vocabulary)" in text  # 'unicorn' is unknown to every model
    for v in built_report.verdicts:
        assert v.line in text
    assert "intervals of" in text and "span zero" in text and LARGER in text
    assert text.index("nearest neighbours") < text.index("training loss") < text.index("model ")


def test_side_by_side_columns(built_report):
    block = neighbors_side_by_side(built_report, probes=["king"], k=3).splitlines()
    assert block[0] == "nearest neighbours of 'king'" and len(block) == 5
    assert block[1].split() == ["glove", "(W+W~)", "sgns"]
    expected = [w for w, _ in built_report.neighbors.neighbors["king"]["sgns"][:3]]
    assert [line.split()[-1] for line in block[2:]] == expected


def test_sparklines():
    assert sparkline([3.0, 2.0, 1.0]) == "█▅▁" and sparkline([1.0, 1.0]) == "▁▁"


def test_loss_sparklines(built_report):
    lines = loss_sparklines(built_report).splitlines()
    assert [line.split()[0] for line in lines] == ["glove", "sgns"]
    assert "over 6 epochs" in lines[0] and "over 4 epochs" in lines[1]
