"""Which documents `make test-corpus` runs: the built-in sample or `CORPUS_SPECS`, one `CORPUS_SHARD` of them.

Plain functions over the environment, so the corpus test and its own tests share them:

- `CORPUS_SPECS=path,path` names the documents to run instead of the sample; each one's id is its file
  name without the suffix, with `-2`, `-3`, ... added to repeated names.
- `CORPUS_SIZE=N` sets how many documents the sample draws from the APIs.guru collection.
- `CORPUS_SHARD=k/n` keeps the k-th (1-based) of n shards of the chosen list: every n-th document from the
  k-th on, so the shards are disjoint, deterministic, and together the whole list.

A value that cannot be used raises `SelectionError` with a one-line message naming the variable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

DEFAULT_SAMPLE_SIZE = 40

Item = TypeVar("Item")
Document = tuple[str, Path]


class SelectionError(ValueError):
    """A CORPUS_* variable is malformed or names a document that does not exist."""


def parse_shard(value: str) -> tuple[int, int]:
    """`"k/n"` as `(k, n)`, with `1 <= k <= n`."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if match is None:
        raise SelectionError(f"CORPUS_SHARD={value!r} is not of the form k/n (for example 1/4)")
    k, n = int(match[1]), int(match[2])
    if not 1 <= k <= n:
        raise SelectionError(f"CORPUS_SHARD={value!r}: k must be from 1 to n (shards are numbered from 1)")
    return k, n


def parse_size(value: str) -> int:
    """`"N"` as a positive number of documents."""
    if not value.strip().isdigit() or int(value) < 1:
        raise SelectionError(f"CORPUS_SIZE={value!r} is not a positive whole number")
    return int(value)


def shard(items: Sequence[Item], k: int, n: int) -> list[Item]:
    """The k-th of n shards of `items`: every n-th item, starting with the k-th."""
    return list(items[k - 1 :: n])


def unique_ids(paths: Sequence[Path]) -> list[str]:
    """One id per path, its file name without suffix, repeated names made unique with `-2`, `-3`, ..."""
    stems = [path.stem for path in paths]
    taken = set(stems)
    seen: set[str] = set()
    ids = []
    for stem in stems:
        name, number = stem, 1
        while name in seen or (name != stem and name in taken):
            number += 1
            name = f"{stem}-{number}"
        seen.add(name)
        ids.append(name)
    return ids


def named_documents(value: str) -> list[Document]:
    """The documents of a `CORPUS_SPECS` value (comma-separated paths), each path made absolute."""
    paths = [Path(part.strip()) for part in value.split(",") if part.strip()]
    if not paths:
        raise SelectionError(f"CORPUS_SPECS={value!r} names no document")
    for path in paths:
        if not path.is_file():
            raise SelectionError(f"CORPUS_SPECS: no such file: {path}")
    return list(zip(unique_ids(paths), [path.resolve() for path in paths], strict=True))


def select(env: Mapping[str, str], sample: Callable[[int], list[Document]]) -> list[Document]:
    """The documents the environment chooses: `CORPUS_SPECS` or `sample(CORPUS_SIZE)`, then one shard."""
    shard_value = env.get("CORPUS_SHARD", "")
    part = parse_shard(shard_value) if shard_value.strip() else None  # checked before any download
    specs, size = env.get("CORPUS_SPECS", ""), env.get("CORPUS_SIZE", "")
    if specs.strip():
        if size.strip():
            raise SelectionError("CORPUS_SIZE sizes the built-in sample: leave it out with CORPUS_SPECS")
        chosen = named_documents(specs)
    else:
        chosen = sample(parse_size(size) if size.strip() else DEFAULT_SAMPLE_SIZE)
    return chosen if part is None else shard(chosen, *part)
