"""``python -m glove_gensim.cli``: the ``glove-gensim`` command."""
import sys

from glove_gensim.cli.app import main

sys.exit(main())
