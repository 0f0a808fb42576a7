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


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def stanford_reference() -> Path:
    if not (STANFORD_REFERENCE / "vocab.txt").is_file():
        pytest.skip(f"Stanford reference data not found at {STANFORD_REFERENCE}")
    return STANFORD_REFERENCE
