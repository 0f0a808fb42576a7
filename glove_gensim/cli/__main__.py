"""``python -m glove_gensim.cli``: the ``glove-gensim`` command."""
from glove_gensim.cli.app import run

run()
