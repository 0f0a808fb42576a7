"""Every format we write, corrupted in every way we can think of, is refused with its name.

Our own ``.npz`` files carry a checksum, so any flipped byte is caught. Text and Stanford binary
formats have none: for them we corrupt the structure (truncation, bad numbers, bad UTF-8, wrong
counts), which is what a reader can detect.
"""
from __future__ import annotations

import io as _io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from glove_gensim.cooccur import Cooccurrence, count_cooccurrences
from glove_gensim.io import load_glove, save_glove_binary, save_glove_text, save_word2vec_text
from glove_gensim.model import GloVe
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

REFUSALS = (ValueError, FileNotFoundError)  # CorruptFileError is a ValueError


def _documents():
    return random_documents(np.random.default_rng(9), n_docs=40, n_types=30, max_len=30)


def _make_files(folder: Path) -> dict[str, tuple[Path, callable]]:
    docs = _documents()
    vocab = Vocabulary.build(docs, min_count=2)
    cooc = count_cooccurrences(docs, vocab, window=3)
    model = GloVe.from_cooccurrence(cooc, vector_size=4, epochs=1, batch_size=32,
                                    checkpoint_dir=folder / "ck")
    model.train()
    rng = np.random.default_rng(0)
    n, d = len(vocab), 4
    files = {
        "vocabulary.npz": (vocab.save(folder / "vocab.npz"), Vocabulary.load),
        "vocab.txt": (vocab.save(folder / "vocab.txt"), Vocabulary.load),
        "cooccurrence.npz": (cooc.save(folder / "cooc.npz"), Cooccurrence.load),
        "cooccurrence.bin": (cooc.save(folder / "cooc.bin"),
                             lambda p: Cooccurrence.load_stanford(p, vocab)),
        "model.npz": (model.save(folder / "model.npz"), GloVe.load),
        "checkpoint.npz": (model.checkpoint_path, lambda p: _restore(p, cooc)),
        "vectors.txt (word2vec)": (save_word2vec_text(model.wv, folder / "w2v.txt"), load_glove),
        "vectors.txt (Stanford)": (save_glove_text(model.wv, folder / "glove.txt"), load_glove),
        "vectors.bin (Stanford)": (save_glove_binary(rng.random((n, d)), rng.random((n, d)), rng.random(n),
                                                     rng.random(n), folder / "vectors.bin"),
                                   lambda p: load_glove(p, binary=True, vocab_path=folder / "vocab.txt")),
    }
    return files


def _restore(path: Path, cooc: Cooccurrence):
    model = GloVe.from_cooccurrence(cooc, vector_size=4, epochs=1, batch_size=32, checkpoint_dir=path.parent)
    if not model.restore_checkpoint():
        raise FileNotFoundError(f"no checkpoint at {path}")
    return model


def _npz_corruptions(data: bytes) -> dict[str, bytes]:
    cases = {f"truncated to {f:.0%}": data[: int(len(data) * f)] for f in (0, 0.01, 0.3, 0.5, 0.9, 0.999)}
    for f in (0.02, 0.2, 0.4, 0.6, 0.8, 0.95, 0.995):
        flipped = bytearray(data)
        flipped[int(len(data) * f)] ^= 0x5A
        cases[f"byte flipped at {f:.1%}"] = bytes(flipped)
    cases["garbage"] = bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8))
    cases["wrong version"] = _rewrite_header(data, version=99)
    cases["wrong kind"] = _rewrite_header(data, kind="somebody.else")
    return cases


def _rewrite_header(data: bytes, **changes) -> bytes:
    source = zipfile.ZipFile(_io.BytesIO(data))
    out = _io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            payload = source.read(name)
            if name == "__header__.npy":
                array = np.load(_io.BytesIO(payload))
                header = json.loads(array.tobytes())
                header.update(changes)
                buffer = _io.BytesIO()
                np.save(buffer, np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
                payload = buffer.getvalue()
            target.writestr(name, payload)
    return out.getvalue()


def _text_corruptions(data: bytes) -> dict[str, bytes]:
    lines = data.split(b"\n")
    last = lines[-2]
    return {
        "empty": b"",
        "last line cut in half": b"\n".join(lines[:-2] + [last[: len(last) // 2]]) + b"\n",
        "last field of line 3 not a number": b"\n".join(
            lines[:2] + [lines[2].rsplit(b" ", 1)[0] + b" x1y"] + lines[3:]),
        "invalid UTF-8": data[:5] + b"\xff\xfe" + data[5:],
        "whitespace-only": b"   \n\n",
    }


def _vectors_text_corruptions(data: bytes, header: bool) -> dict[str, bytes]:
    cases = _text_corruptions(data)
    lines = data.split(b"\n")
    cases["a float removed"] = b"\n".join(lines[:3] + [lines[3].rsplit(b" ", 1)[0]] + lines[4:])
    if header:
        cases["header counts more vectors"] = b"\n".join(lines[:-3]) + b"\n"
        cases["header dimension wrong"] = b"5 3\n" + b"\n".join(lines[1:])
    return cases


def _binary_corruptions(data: bytes, record: int) -> dict[str, bytes]:
    return {"empty": b"", "one byte short": data[:-1], "half a record extra": data + data[: record // 2],
            "truncated to 3 bytes": data[:3]}


def corruption_cases(files):
    for fmt, (path, loader) in files.items():
        data = Path(path).read_bytes()
        if fmt.endswith(".npz"):
            cases = _npz_corruptions(data)
        elif fmt == "vocab.txt":
            cases = _text_corruptions(data)
            cases["count not a number"] = data.replace(b" ", b" many", 1)
        elif fmt.startswith("vectors.txt"):
            cases = _vectors_text_corruptions(data, header="word2vec" in fmt)
        elif fmt == "cooccurrence.bin":
            cases = _binary_corruptions(data, 16)
            cases["ids beyond the vocabulary"] = np.array([(9999, 1, 1.0)], dtype=[("a", "<i4"), ("b", "<i4"), ("v", "<f8")]).tobytes() + data
        else:
            cases = _binary_corruptions(data, 8)
        for name, corrupted in cases.items():
            yield fmt, name, path, loader, corrupted


def test_every_corrupted_file_is_refused_naming_the_file(tmp_path):
    files = _make_files(tmp_path)
    results = []
    for fmt, name, path, loader, corrupted in corruption_cases(files):
        victim = tmp_path / "victims" / f"{len(results):03d}_{Path(path).name}"
        victim.parent.mkdir(exist_ok=True)
        victim.write_bytes(corrupted)
        if fmt == "checkpoint.npz":
            (victim.parent / "ck").mkdir(exist_ok=True)
            victim = victim.parent / "ck" / "checkpoint.npz"
            victim.write_bytes(corrupted)
        try:
            loader(victim)
        except REFUSALS as exc:
            assert victim.name in str(exc), f"{fmt} / {name}: message does not name the file: {exc}"
            results.append((fmt, name, type(exc).__name__))
            continue
        except Exception as exc:  # noqa: BLE001 - the point is to find any other type
            pytest.fail(f"{fmt} / {name}: unhandled {type(exc).__name__}: {exc}")
        pytest.fail(f"{fmt} / {name}: the corrupted file was accepted")
    assert len(results) >= 50
    assert {fmt for fmt, _, _ in results} == set(files)


def test_missing_files_are_refused_with_their_name(tmp_path):
    for loader in (Vocabulary.load, Cooccurrence.load, GloVe.load, load_glove):
        with pytest.raises(FileNotFoundError, match="nothing-here"):
            loader(tmp_path / "nothing-here.npz")
