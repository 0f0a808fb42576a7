import numpy as np
import pytest
from gensim.test.utils import datapath
from scipy import stats

from evaluation import SimilarityResult, evaluate_similarity, read_word_pairs
from tests.evaluation.evaluation_helpers import make_kv


@pytest.mark.parametrize("dataset,fname", [("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt")])
@pytest.mark.parametrize("case_insensitive", [True, False])
@pytest.mark.parametrize("restrict_vocab", [300000, 400])
def test_equals_gensim(sim_kv, dataset, fname, case_insensitive, restrict_vocab):
    ours = evaluate_similarity(sim_kv, dataset, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    pearson, spearman, oov_ratio = sim_kv.evaluate_word_pairs(
        datapath(fname), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    assert isinstance(ours, SimilarityResult)
    assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-6)
    assert ours.spearman_pvalue == pytest.approx(spearman.pvalue, rel=1e-4, abs=1e-9)
    assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-6)
    assert ours.pearson_pvalue == pytest.approx(pearson.pvalue, rel=1e-4, abs=1e-9)
    assert ours.oov_ratio == pytest.approx(oov_ratio, abs=1e-9)
    assert ours.n_covered + ours.n_oov == ours.n_pairs
    assert ours.n_oov > 0  # the fixture leaves ~20% of words out


def test_case_variant_first_in_key_order_wins(sim_kv):
    # 'TIGER' precedes 'tiger': case-insensitive lookup must use the TIGER row, like gensim
    data = read_word_pairs("wordsim353")
    res = evaluate_similarity(sim_kv, data)
    i = data.pairs.index(("tiger", "cat"))
    if "cat" in sim_kv.key_to_index:
        j = list(res.pair_ids).index(i)
        assert res.cosine[j] == pytest.approx(sim_kv.similarity("TIGER", "cat"), abs=1e-6)


def test_oov_reported_not_dropped_or_zeroed(tmp_path):
    rng = np.random.default_rng(0)
    kv = make_kv(["cat", "dog", "car", "bus", "tree"], rng.normal(size=(5, 8)))
    path = tmp_path / "pairs.txt"
    path.write_text("# comment line\ncat dog 9.0\ncar bus 8.5\ncat tree 2.0\ndog   car 3\n"
                    "unicorn cat 5.0\nunicorn dragon 4\n\n")
    res = evaluate_similarity(kv, path)
    assert res.dataset == "pairs"
    assert res.n_pairs == 6 and res.n_covered == 4 and res.n_oov == 2
    assert res.oov_pairs == [("unicorn", "cat", 5.0), ("unicorn", "dragon", 4.0)]
    assert res.oov_words == {"unicorn": 2, "dragon": 1}
    assert res.coverage == pytest.approx(4 / 6)
    # the score is computed on the covered pairs only (OOV pairs not scored 0)
    cos = [kv.similarity(a, b) for a, b in [("cat", "dog"), ("car", "bus"), ("cat", "tree"), ("dog", "car")]]
    assert res.spearman == pytest.approx(stats.spearmanr([9, 8.5, 2, 3], cos).statistic, abs=1e-9)
    assert res.to_dict()["oov_words"] == {"unicorn": 2, "dragon": 1}


def test_tab_separated_multiword_and_errors(tmp_path):
    kv = make_kv(["a", "b", "c"], np.eye(3))
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\t1\nb\tc\t2\na\tc\t3\n")
    assert read_word_pairs(path).pairs == [("a", "b"), ("b", "c"), ("a", "c")]
    with pytest.raises(FileNotFoundError, match="bundled names"):
        read_word_pairs(tmp_path / "missing.txt")
    none = tmp_path / "none.txt"
    none.write_text("x y 1\n")
    with pytest.raises(ValueError, match="no pair"):
        evaluate_similarity(kv, none)
    with pytest.raises(TypeError, match="KeyedVectors"):
        evaluate_similarity(object(), path)


def test_malformed_line_names_file_and_line_or_is_skipped_on_request(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("# comment\na b 1.0\n\nb c not-a-number\na c 3\n")
    with pytest.raises(ValueError, match=r"pairs\.txt:4: expected 'word1 word2 score'"):
        read_word_pairs(path)
    assert read_word_pairs(path, malformed="skip").pairs == [("a", "b"), ("a", "c")]


def test_empty_vocabulary_intersection_is_a_clear_error(tmp_path):
    kv = make_kv(["p", "q", "r"], np.eye(3))
    path = tmp_path / "pairs.txt"
    path.write_text("a b 1\nc d 2\n")
    with pytest.raises(ValueError, match="no pair of pairs"):
        evaluate_similarity(kv, path)
