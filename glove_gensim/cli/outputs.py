"""Where the commands write, checked before any work, and how a run's outputs land there.

One rule for every command:

* ``--out`` (and ``--cooc-cache``, ``--checkpoint-dir``) may not be a corpus file nor lie inside a
  corpus directory, and may not replace a file that glove-gensim did not write;
* the nearest existing folder above it must be writable (tested by creating a file there), and
  missing parent folders are created when the results are written;
* a folder of outputs is written as a whole: the files go into a hidden temporary folder beside
  ``--out`` which is renamed into place at the end (entries of an older ``--out`` that the run
  does not write are moved over, so they survive), so ``--out`` is always the previous folder or
  the complete new one;
* SIGTERM and SIGINT stop the command with one line on stderr (saying how to resume when
  checkpoints were written), temporary files removed, exit status 128 + signal number.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "corpus.txt").write_text("a b c")
>>> check_output_file(root / "corpus.txt", [root / "corpus.txt"], "--out")
Traceback (most recent call last):
...
ValueError: --out ...corpus.txt is the corpus file ...corpus.txt: writing there would destroy the corpus
>>> with staged_folder(root / "run") as stage:
...     _ = (stage / "vectors.txt").write_text("1 1\\na 0.5\\n")
>>> sorted(p.name for p in root.iterdir())
['corpus.txt', 'run']
"""
from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from glove_gensim.files import cleanup_section, in_cleanup

logger = logging.getLogger(__name__)

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """Raised in the main thread when the command receives SIGINT or SIGTERM.

    A ``BaseException``, as ``KeyboardInterrupt``: ``except Exception`` does not swallow it, and
    every ``finally`` and :func:`glove_gensim.files.atomic_write` clean-up runs on the way out.

    Examples
    --------
    >>> Interrupted(signal.SIGTERM).status
    143
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def name(self) -> str:
        """``"SIGINT"`` or ``"SIGTERM"``."""
        return signal.Signals(self.signum).name

    @property
    def status(self) -> int:
        """The exit status, 128 + the signal number."""
        return 128 + self.signum


_pending: list[int] = []  # signals received: the exception may be swallowed where it is raised


_IMPORT_CHECK_SECONDS = 0.05


def _importing(frame) -> bool:
    """Whether ``frame`` runs inside an ``import``: a module body, or Python code that a C
    extension's initialisation calls (JAX's does). An exception raised there can leave the
    extension half-initialised, and the interpreter may then crash instead of exiting cleanly."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def _raise_interrupted(signum: int, frame) -> None:
    if signum != signal.SIGALRM:
        _pending.append(signum)
    if not _pending or in_cleanup():  # raised again when the clean-up is done (raise_if_interrupted)
        return
    if _importing(frame):  # raised once the import is over: looked at again a moment later
        signal.setitimer(signal.ITIMER_REAL, _IMPORT_CHECK_SECONDS)
        return
    raise Interrupted(_pending[0])


def _quiet_when_interrupted(unraisable) -> None:
    """``sys.unraisablehook`` that stays silent for a swallowed :class:`Interrupted` (it is
    raised again by :func:`raise_if_interrupted`) and reports anything else as Python does."""
    if not isinstance(unraisable.exc_value, Interrupted):
        sys.__unraisablehook__(unraisable)


def raise_if_interrupted() -> None:
    """Raise :class:`Interrupted` again when a signal arrived but its exception was swallowed
    (a handler running inside a garbage-collector callback, say: Python ignores exceptions
    there). Called before outputs are put in place, and when the command ends.

    Examples
    --------
    >>> raise_if_interrupted()
    """
    if _pending:
        raise Interrupted(_pending[0])


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` while the block runs (main thread only).

    A signal that arrives during an ``import`` (JAX's first import takes a second or more) is
    acted on when the import is over: SIGALRM, armed for a few milliseconds, looks again.

    Examples
    --------
    >>> with stop_on_signals():
    ...     signal.getsignal(signal.SIGTERM) is _raise_interrupted
    True
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise_interrupted) for number in (*_STOP_SIGNALS, signal.SIGALRM)}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_when_interrupted
    _pending.clear()
    try:
        yield
        raise_if_interrupted()
    except Interrupted:
        raise
    except BaseException as exc:  # raised where Python wraps it (RuntimeError from __set_name__, ...)
        if _pending:
            raise Interrupted(_pending[0]) from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _pending.clear()
        sys.unraisablehook = previous_hook
        for number, handler in previous.items():
            signal.signal(number, handler)


def _resolved(path: str | os.PathLike) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _check_not_in_corpus(target: Path, shown: str, corpus: Iterable[str | os.PathLike], flag: str) -> None:
    for source in corpus:
        source = _resolved(source)
        if source.is_file() and target == source:
            raise ValueError(f"{flag} {shown} is the corpus file {source}: writing there would destroy "
                             "the corpus")
        if source.is_dir() and (target == source or source in target.parents):
            raise ValueError(f"{flag} {shown} lies inside the corpus directory {source}: a later run "
                             "would read it as corpus text; write it outside that directory")


def _check_writable_place(target: Path, shown: str, flag: str) -> None:
    """The nearest existing folder above ``target`` is a folder we can create files in."""
    for parent in target.parents:
        if parent.exists():
            break
    if not parent.is_dir():
        raise NotADirectoryError(f"{flag} {shown}: {parent} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=parent, prefix=".glove_gensim_probe_"):
            pass
    except OSError as exc:
        raise PermissionError(f"{flag} {shown}: cannot write in {parent} ({exc.strerror or exc})") from None


def _head(path: Path, size: int = 1 << 16) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def written_by_us(path: str | os.PathLike) -> bool:
    """Whether an existing output file looks like one glove-gensim writes (so it may be replaced).

    Our ``.npz`` files carry a ``__header__`` member; vocab.txt is ``word count`` lines;
    vectors.txt a word2vec header; Stanford ``.bin`` co-occurrences whole 16-byte records; the
    reports and gensim's ``word2vec.model`` their own marks.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = path.write_text("my thesis, chapter 1\\n")
    >>> written_by_us(path)
    False
    """
    from glove_gensim.corpus import _written_by_us

    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    if suffix == ".npz":
        with contextlib.suppress(OSError, zipfile.BadZipFile):
            with zipfile.ZipFile(path) as archive:
                return "__header__.npy" in archive.namelist()
        return False
    if suffix == ".bin":
        return path.stat().st_size % 16 == 0
    head = _head(path)
    if name.startswith("report."):
        return b"GloVe" in head or b"glove" in head
    if suffix == ".model" or name.endswith(".npy"):
        return True  # gensim's own save (pickle and its arrays), written under --out by a baseline run
    return _written_by_us(path)


def _check_replaceable(target: Path, shown: str, flag: str) -> None:
    if target.exists() and not target.is_file():
        raise IsADirectoryError(f"{flag} {shown} is a folder, but this option names a file")
    if target.is_file() and not written_by_us(target):
        raise FileExistsError(f"{flag} {shown} exists and is not a file glove-gensim wrote; it is left "
                              "alone: remove it or choose another path")


def check_output_file(path: str | os.PathLike, corpus: Sequence[str | os.PathLike], flag: str = "--out") -> None:
    """Refuse, before any work, an output file that would destroy or hide input (see the module).

    Examples
    --------
    >>> import tempfile
    >>> check_output_file(Path(tempfile.mkdtemp()) / "new" / "vocab.txt", [], "--out")
    """
    target = _resolved(path)
    _check_not_in_corpus(target, str(path), corpus, flag)
    _check_writable_place(target, str(path), flag)
    _check_replaceable(target, str(path), flag)
    if target.is_file():
        logger.warning("%s %s exists (written by an earlier run): it is replaced when this run succeeds", flag, path)


def check_output_folder(path: str | os.PathLike, corpus: Sequence[str | os.PathLike], names: Iterable[str] = (),
                        flag: str = "--out") -> None:
    """Refuse, before any work, an output folder that would destroy or hide input; ``names``: the
    files the command writes in it (each must be new or ours).

    Examples
    --------
    >>> import tempfile
    >>> check_output_folder(Path(tempfile.mkdtemp()) / "run", [], ["vectors.txt"])
    """
    target = _resolved(path)
    _check_not_in_corpus(target, str(path), corpus, flag)
    _check_writable_place(target, str(path), flag)
    if not target.is_dir():
        return
    replaced = []
    for name in names:
        _check_replaceable(target / name, str(Path(path) / name), flag)
        replaced += [name] if (target / name).exists() else []
    if replaced:
        logger.warning("%s %s already holds %s from an earlier run: replaced when this run succeeds", flag, path,
                       ", ".join(replaced))


@contextlib.contextmanager
def staged_folder(out: str | os.PathLike) -> Iterator[Path]:
    """A temporary folder beside ``out`` to write a run's files into, renamed to ``out`` on success
    (removed on any failure or signal).

    Entries of an existing ``out`` that the run did not write are moved into the new folder, and the
    renames run in a :func:`~glove_gensim.files.cleanup_section` (a signal waits for them), so
    ``out`` is the old folder or the new one.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "run"
    >>> with staged_folder(out) as stage:
    ...     _ = (stage / "a.txt").write_text("new")
    >>> (out / "a.txt").read_text()
    'new'
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        yield stage
        raise_if_interrupted()
        with cleanup_section():  # a signal now waits until the renames are done
            _swap_in(stage, out)
    except BaseException:
        with cleanup_section():
            shutil.rmtree(stage, ignore_errors=True)
        raise


def _swap_in(stage: Path, out: Path) -> None:
    if not out.is_dir():
        os.rename(stage, out)
        return
    for entry in out.iterdir():
        if not (stage / entry.name).exists():
            os.rename(entry, stage / entry.name)
    old = out.with_name(f".{out.name}.{secrets.token_hex(6)}.old")
    os.rename(out, old)
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)
