"""A temporary file of rows, written during the rating pass and read back in order.

Used when a quota needs every branch before any row can be final.  Records are pickled
``Row`` tuples (results already serialised or flattened), each behind its length, and
only records written whole are counted, so an interrupted pass can still be read back.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from collections.abc import Iterator
from typing import IO

from .codec import decode_result, encode_result
from .items import Row

_LEN = struct.Struct("<Q")


class Spool:
    def __init__(self, mode: str, directory: str | None = None) -> None:
        self.mode = mode
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="starrules-batch-", dir=directory)
        self.count = 0  # records written whole

    def append(self, row: Row) -> None:
        if self.mode == "model" and row.payload is not None:
            row = row._replace(payload=encode_result(row.payload))
        data = pickle.dumps(tuple(row), protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(_LEN.pack(len(data)) + data)
        self.count += 1

    def __iter__(self) -> Iterator[Row]:
        """The rows written whole, in order (the file is only read from here on)."""
        f = self._file
        f.flush()
        f.seek(0)
        for _ in range(self.count):
            (size,) = _LEN.unpack(f.read(_LEN.size))
            row = Row(*pickle.loads(f.read(size)))
            if self.mode == "model" and row.payload is not None:
                row = row._replace(payload=decode_result(row.payload))
            yield row

    def close(self) -> None:
        self._file.close()
