"""Sharded tables over devices and out-of-core (blocked) training equal their simple versions."""
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from glove_gensim.model import GloVe
from tests.conftest import random_documents


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(21), n_docs=80, n_types=61, max_len=40)


def test_out_of_core_blocks_equal_in_memory_blocks(documents, tmp_path):
    base = dict(vector_size=8, window=3, min_count=1, x_max=10.0, epochs=3, batch_size=32, engine="jax")
    probe = GloVe(documents, **{**base, "epochs": 1})
    quarter = probe.cooccurrence.nnz // 4
    in_memory = GloVe(documents, block_size=quarter, **base)
    streamed = GloVe(documents, block_size=quarter, out_of_core=True, **base)
    assert streamed._entries.n_blocks >= 4 and streamed._entries.out_of_core
    assert np.array_equal(in_memory.wv.vectors, streamed.wv.vectors)
    assert in_memory.loss_history == streamed.loss_history
    assert in_memory.loss_history[-1] < in_memory.loss_history[0]
    folder = streamed._entries._folder
    assert folder.is_dir()
    del streamed
    import gc
    gc.collect()
    assert not folder.exists()


def test_out_of_core_needs_a_block_size():
    with pytest.raises(ValueError, match="block_size"):
        GloVe(out_of_core=True)


def test_tables_sharded_over_four_devices_equal_one_device():
    script = textwrap.dedent("""
        import os
        os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
        import numpy as np
        from glove_gensim.model import GloVe
        from tests.conftest import random_documents
        docs = random_documents(np.random.default_rng(21), n_docs=80, n_types=61, max_len=40)
        for batch_size in (32, 1024):
            base = dict(vector_size=8, window=3, min_count=1, x_max=10.0, epochs=3, batch_size=batch_size)
            one = GloVe(docs, n_devices=1, **base)
            sharded = GloVe(docs, n_devices=4, shard_tables=True, **base)
            assert len(sharded._params.vectors.sharding.device_set) == 4
            assert sharded._params.vectors.shape[0] % 4 == 0
            np.testing.assert_allclose(one.wv.vectors, sharded.wv.vectors, atol=1e-5)
            np.testing.assert_allclose(one.loss_history, sharded.loss_history, rtol=1e-5)
        path = sharded.save(os.environ["OUT"])
        again = GloVe.load(path)
        np.testing.assert_array_equal(again.wv.vectors, sharded.wv.vectors)
        print("ok")
    """)
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                   cwd=str(Path(__file__).parents[2]),
                                   env={**os.environ, "OUT": str(Path(folder) / "m.npz")})
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip().endswith("ok")
