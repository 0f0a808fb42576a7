"""Safe files: atomic writes and our versioned, checksummed, pickle-free ``.npz`` format.

Every file the project writes goes through :func:`atomic_write`: the bytes land in a temporary
file in the destination's folder, are flushed and fsynced, and only then renamed over the
destination, so a crash or a full disk never leaves a half-written file where a good one stood.
The file gets the permissions a plain ``open(path, "w")`` would give (the umask's, or those of the
file it replaces).

Our own containers (:func:`save_arrays` / :func:`load_arrays`) are NumPy ``.npz`` archives read
with ``allow_pickle=False``; a JSON header stored as a byte array names the format and its
version, and the zip archive's comment (its last 64 bytes) holds the SHA-256 of every byte before
it, so any truncated or altered byte is refused with a message that names the file.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import struct
import zipfile
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

import numpy as np

from glove_gensim.memory import chunk_slices, release_pages

logger = logging.getLogger(__name__)

_HEADER_KEY = "__header__"


_cleanups = [0]  # how many clean-up sections are running (see :func:`cleanup_section`)


@contextlib.contextmanager
def cleanup_section() -> Iterator[None]:
    """Mark clean-up code (removing temporary files, renaming results into place) that an
    interrupt must not cut short: a SIGINT/SIGTERM handler that checks :func:`in_cleanup` (the
    command line's does) only records the signal and acts on it once the section ends.

    Examples
    --------
    >>> with cleanup_section():
    ...     in_cleanup()
    True
    >>> in_cleanup()
    False
    """
    _cleanups[0] += 1
    try:
        yield
    finally:
        _cleanups[0] -= 1


def in_cleanup() -> bool:
    """Whether a :func:`cleanup_section` is running.

    Examples
    --------
    >>> in_cleanup()
    False
    """
    return _cleanups[0] > 0


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:,.1f} MB"


_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")


def _is_disk_full(exc: OSError) -> bool:
    """ENOSPC or a quota, or NumPy's ``tofile`` short write (an ``OSError`` without errno that
    says ``"N requested and M written"``: what ``np.save`` raises when the disk fills mid-array)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return exc.errno is None and _SHORT_WRITE.search(str(exc)) is not None


@contextlib.contextmanager
def disk_full_explained(folder: str | os.PathLike, needed: int, doing: str, advice: str) -> Iterator[None]:
    """Re-raise a full disk (``ENOSPC``, a quota, a short write) in the block as an
    ``OSError(ENOSPC)`` whose message names ``folder``, the ``needed`` bytes and the bytes still
    free there, then ``advice``; other errors pass through unchanged. Removing the partial files
    is the caller's clean-up.

    Examples
    --------
    >>> with disk_full_explained("/tmp", 3 * 2**20, "spilling counts", "use a larger disk"):
    ...     raise OSError(errno.ENOSPC, "No space left on device")
    Traceback (most recent call last):
    OSError: [Errno 28] disk full while spilling counts in /tmp: 3.0 MB needed, ... MB free; use a larger disk
    """
    try:
        yield
    except OSError as exc:
        if not _is_disk_full(exc):
            raise
        try:
            free = _megabytes(shutil.disk_usage(folder).free)
        except OSError:
            free = "unknown"
        raise OSError(errno.ENOSPC, f"disk full while {doing} in {folder}: {_megabytes(needed)} needed, "
                                    f"{free} free; {advice}") from exc


class CorruptFileError(ValueError):
    """A file of ours that cannot be trusted: truncated, altered, of another kind or version.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "counts.npz"
    ...     _ = path.write_bytes(b"not ours")
    ...     load_arrays(path, "demo.counts", max_version=1)
    Traceback (most recent call last):
    ...
    glove_gensim.files.CorruptFileError: ...counts.npz is truncated or empty (8 bytes)
    """


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success fsync it and rename it over ``path``.

    Parameters
    ----------
    path : str or PathLike
        Destination. Its folder must exist.
    mode : {"wb", "w+b", "w"}
        Binary (``"w+b"`` also readable), or text mode.
    encoding : str, optional
        Text encoding for ``mode="w"`` (default UTF-8).

    Raises
    ------
    OSError
        When writing fails (disk full, say); the previous file at ``path`` is left untouched and
        the temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "hello.txt"
    ...     with atomic_write(path, "w") as fh:
    ...         _ = fh.write("hello\\n")
    ...     path.read_text()
    'hello\\n'
    """
    if mode not in ("wb", "w", "w+b"):
        raise ValueError(f"mode must be 'wb', 'w+b' or 'w', not {mode!r}")
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write {path}: folder {folder} does not exist")
    fd, tmp_name = _create_beside(path, folder)
    try:
        kwargs = {"encoding": encoding or "utf-8", "newline": "\n"} if mode == "w" else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise OSError(errno.ENOSPC, f"disk full while writing {path}; the previous file (if any) "
                                        "is intact") from exc
        raise
    _fsync_folder(folder)


def _create_beside(path: Path, folder: Path) -> tuple[int, str]:
    """Create a new temporary file in ``folder`` with the permissions ``open(path, "w")`` would
    give: ``path``'s own if it exists, otherwise 0o666 less the umask (which ``os.open`` applies;
    ``mkstemp`` would give 0o600, unreadable to anyone else)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp_name = str(folder / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp_name, flags, 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            os.chmod(tmp_name, mode)
        return fd, tmp_name
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {path}")


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_DIGEST_BYTES = 64
_BLOCK = 1 << 22


def _digest_prefix(handle: IO[bytes], length: int) -> str:
    """SHA-256 (hex) of the first ``length`` bytes of ``handle``, read in blocks."""
    digest = hashlib.sha256()
    handle.seek(0)
    remaining = length
    while remaining > 0:
        block = handle.read(min(_BLOCK, remaining))
        if not block:
            break
        digest.update(block)
        remaining -= len(block)
    return digest.hexdigest()


def save_arrays(path: str | os.PathLike, kind: str, version: int, arrays: Mapping[str, np.ndarray],
                meta: Mapping[str, Any] | None = None) -> Path:
    """Write ``arrays`` and JSON-able ``meta`` atomically as a checksummed ``.npz``.

    Parameters
    ----------
    path : str or PathLike
        Destination file (written as given; use a ``.npz`` suffix by convention).
    kind : str
        Name of the format (``"glove_gensim.cooccurrence"``, ...), checked on load.
    version : int
        Format version, checked on load.
    arrays : mapping of str to ndarray
        Numeric arrays only (object arrays are refused: we never pickle).
    meta : mapping, optional
        JSON-serialisable metadata.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_arrays(Path(folder) / "counts.npz", "demo.counts", 1, {"counts": np.arange(3)})
    ...     path.name
    'counts.npz'
    """
    for name, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise TypeError(f"array {name!r} has dtype object; our files never hold pickled objects")
        if name == _HEADER_KEY:
            raise ValueError(f"{_HEADER_KEY!r} is reserved")
    header = {"kind": kind, "version": int(version), "meta": dict(meta or {})}
    header_bytes = np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    path = Path(path)
    needed = sum(np.asarray(array).nbytes for array in arrays.values())
    with (disk_full_explained(path.parent, needed, f"writing {path.name}", "the previous file (if any) is intact"),
          atomic_write(path, "w+b") as handle):
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for name, array in ((_HEADER_KEY, header_bytes), *arrays.items()):
                with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                    _write_array(member, np.asanyarray(array))
            archive.comment = b"0" * _DIGEST_BYTES
        handle.flush()
        size = handle.seek(0, os.SEEK_END)
        digest = _digest_prefix(handle, size - _DIGEST_BYTES)
        handle.seek(size - _DIGEST_BYTES)
        handle.write(digest.encode("ascii"))
    return path


def _write_array(member: IO[bytes], array: np.ndarray) -> None:
    """``np.lib.format.write_array`` a slice at a time: no copy of ``array`` is made, and the pages
    of a memory-mapped ``array`` are handed back to the OS as they are written, so writing a
    mapped file's arrays keeps the RSS bounded by one slice."""
    if array.ndim != 1 or len(array) * array.itemsize <= _BLOCK:
        np.lib.format.write_array(member, array, allow_pickle=False)
        return
    header = np.lib.format.header_data_from_array_1_0(array)
    np.lib.format.write_array_header_2_0(member, header)
    for part in chunk_slices(len(array), max(1, _BLOCK // array.itemsize)):
        member.write(np.ascontiguousarray(array[part]).data)
        release_pages(array)


def _mapped_member(path: Path, archive: zipfile.ZipFile, name: str) -> np.ndarray:
    """A read-only memory map of the array ``name`` stored (uncompressed) in ``archive``."""
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED:
        raise CorruptFileError(f"{path}: member {name} is compressed and cannot be memory-mapped")
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        local = handle.read(30)
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise CorruptFileError(f"{path}: member {name} has no local header")
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        handle.seek(info.header_offset + 30 + name_length + extra_length)
        version = np.lib.format.read_magic(handle)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(handle)
        if dtype.hasobject:
            raise CorruptFileError(f"{path}: member {name} holds objects; our files never do")
        offset = handle.tell()
    if int(np.prod(shape)) == 0:
        return np.zeros(shape, dtype)
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")


@contextlib.contextmanager
def _open_npz(path: Path) -> Iterator:
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise CorruptFileError(f"{path} is a bare NumPy array, not a glove-gensim .npz file")
    with loaded:
        yield loaded


def load_arrays(path: str | os.PathLike, kind: str, max_version: int,
                mmap: bool = False) -> tuple[dict[str, np.ndarray], dict]:
    """Read a file written by :func:`save_arrays`, refusing anything that does not check out.

    Parameters
    ----------
    path : str or PathLike
        File to read.
    kind : str
        Expected format name.
    max_version : int
        Newest format version this code understands.
    mmap : bool
        Return read-only memory maps of the stored arrays instead of reading them into memory
        (the checksum is still verified, reading the file a block at a time); see
        :func:`glove_gensim.memory.release_pages` for keeping their pages out of the RSS.

    Returns
    -------
    arrays : dict of str to ndarray
    meta : dict

    Raises
    ------
    FileNotFoundError
        No such file.
    CorruptFileError
        Not our format, another kind, a newer version, truncated or altered (checksum mismatch).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_arrays(Path(folder) / "counts.npz", "demo.counts", 1, {"counts": np.arange(3)},
    ...                        meta={"source": "example"})
    ...     arrays, meta = load_arrays(path, "demo.counts", max_version=1)
    >>> arrays["counts"].tolist(), meta
    ([0, 1, 2], {'source': 'example'})
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size <= _DIGEST_BYTES:
            raise CorruptFileError(f"{path} is truncated or empty ({size} bytes)")
        digest = _digest_prefix(handle, size - _DIGEST_BYTES)
        handle.seek(size - _DIGEST_BYTES)
        stored = handle.read(_DIGEST_BYTES)
    if stored != digest.encode("ascii"):
        raise CorruptFileError(f"{path} fails its checksum: the file is truncated, altered or not a "
                               f"glove-gensim {kind} file")
    try:
        with _open_npz(path) as archive:
            if _HEADER_KEY not in archive.files:
                raise CorruptFileError(f"{path} is not a glove-gensim {kind} file (no header)")
            header = json.loads(archive[_HEADER_KEY].tobytes().decode("utf-8"))
            if mmap:
                arrays = {name.removesuffix(".npy"): _mapped_member(path, archive.zip, name)
                          for name in archive.zip.namelist() if name != f"{_HEADER_KEY}.npy"}
            else:
                arrays = {name: archive[name] for name in archive.files if name != _HEADER_KEY}
    except CorruptFileError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError, UnicodeDecodeError,
            zipfile.LargeZipFile) as exc:
        raise CorruptFileError(f"{path} is truncated or corrupt and cannot be read ({exc})") from exc
    if not isinstance(header, dict) or header.get("kind") != kind:
        found = header.get("kind") if isinstance(header, dict) else None
        raise CorruptFileError(f"{path} holds {found!r}, not a {kind!r} file")
    version = header.get("version")
    if not isinstance(version, int) or version < 1 or version > max_version:
        raise CorruptFileError(f"{path} has format version {version!r}; this glove-gensim reads "
                               f"versions 1..{max_version} (upgrade glove-gensim to read it)")
    return arrays, header.get("meta", {})
