"""Shared test fixtures: small corpora and paths to the shared data."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
STANFORD_REFERENCE = SHARED_DATA / "stanford_reference"


def random_documents(rng: np.random.Generator, n_docs: int = 30, n_types: int = 40,
                     max_len: int = 40) -> list[list[str]]:
    """Zipf-ish random documents over words w0..w{n_types-1}, some empty."""
    weights = 1.0 / np.arange(1, n_types + 1)
    weights /= weights.sum()
    lengths = rng.integers(0, max_len, size=n_docs)
    return [[f"w{i}" for i in rng.choice(n_types, size=n, p=weights)] for n in lengths]


def write_corpus(path: Path, seed: int, n_docs: int, n_types: int, max_len: int) -> Path:
    """A file of :func:`random_documents`, one blank-line separated paragraph each."""
    docs = random_documents(np.random.default_rng(seed), n_docs=n_docs, n_types=n_types, max_len=max_len)
    path.write_text("\n\n".join(" ".join(d) for d in docs if d) + "\n")
    return path


class Crash:
    """A callback that interrupts training after ``at`` epochs (after that epoch's checkpoint)."""

    def __init__(self, at: int) -> None:
        self.at = at

    def on_epoch_end(self, model) -> None:
        if model.epochs_trained == self.at:
            raise KeyboardInterrupt("simulated crash")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def stanford_reference() -> Path:
    if not (STANFORD_REFERENCE / "vocab.txt").is_file():
        pytest.skip(f"Stanford reference data not found at {STANFORD_REFERENCE}")
    return STANFORD_REFERENCE
