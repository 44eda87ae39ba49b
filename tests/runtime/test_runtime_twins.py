"""The sync and async twins of the runtime stay in step: the async code with `async`/`await` taken out
(and the async names turned into their sync twins by the table below) is the sync code.

Compared on the syntax tree, function by function, so that formatting and docstrings (which say "await"
and "async for" where the sync ones do not) may differ. Imports are left out: they follow from the code.
Where the two cannot be the same code (sleeping, a thread lock against none, a paginator that is awaited),
the function is named in `DIFFERENT` with the reason, and only its signature must agree.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import generator.runtime as runtime

RUNTIME = Path(runtime.__file__).parent

# async name -> its sync twin, where dropping an `Async` prefix is not the rule
RENAMES = {
    "AsyncAPIClient": "SyncAPIClient",
    "AsyncPage": "SyncPage",
    "aclose": "close",
    "aread": "read",
    "anext": "next",
    "aiter_bytes": "iter_bytes",
    "aiter_lines": "iter_lines",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "StopAsyncIteration": "StopIteration",
    "acheck_event_stream": "check_event_stream",
    "async_to_raw_response_wrapper": "to_raw_response_wrapper",
    "connect_async": "connect_sync",
    "AsyncConnection": "SyncConnection",
    "_async_chunks": "_read_chunks",
    "afollow": "follow",
}
# async library calls -> their sync twins, in the code as `ast.unparse` spells it
CALLS = {
    "asyncio.sleep(": "time.sleep(",
    "asyncio.Lock()": "threading.RLock()",
}


def sync_name(name: str) -> str:
    if name in RENAMES:
        return RENAMES[name]
    if name.startswith("Async") and name[5:6].isupper():
        return name[5:]
    return name


class ToSync(ast.NodeTransformer):
    """Async syntax -> the sync syntax it mirrors, async names -> sync names."""

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        fields = {name: getattr(node, name) for name in node._fields}
        fields["name"] = sync_name(node.name)
        return ast.copy_location(ast.FunctionDef(**fields), node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.With:
        self.generic_visit(node)
        return ast.copy_location(ast.With(items=node.items, body=node.body), node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> ast.For:
        self.generic_visit(node)
        return ast.copy_location(ast.For(node.target, node.iter, node.body, node.orelse), node)

    def visit_Await(self, node: ast.Await) -> ast.AST:
        return self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        generator = isinstance(node.value, ast.Name) and node.value.id == "AsyncGenerator"
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == "Awaitable":
            return node.slice  # what an awaited call returns
        if generator and isinstance(node.slice, ast.Tuple):  # a sync generator also has a return type
            node.slice.elts.append(ast.Constant(None))
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.ImportFrom:
        self.generic_visit(node)
        node.names.sort(key=lambda alias: (not alias.name.isupper(), alias.name))  # sorted after renaming
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.is_async = 0
        return node

    def visit_alias(self, node: ast.alias) -> ast.alias:
        node.name = sync_name(node.name)
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.keyword:
        self.generic_visit(node)
        if node.arg == "is_async" and isinstance(node.value, ast.Constant):
            node.value = ast.Constant(False)  # the one flag that tells the request builder which it is
        return node

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = sync_name(node.id)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.Attribute:
        self.generic_visit(node)
        node.attr = sync_name(node.attr)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        node.name = sync_name(node.name)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        self.generic_visit(node)
        node.name = sync_name(node.name)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        if isinstance(node.value, str):  # string annotations: "AsyncPage[Any]"
            node.value = re.sub(r"[A-Za-z_]\w*", lambda word: sync_name(word.group()), node.value)
        return node


class YieldFrom(ast.NodeTransformer):
    """`for x in it: yield x` -> `yield from it`: an async generator cannot write the second."""

    def visit_For(self, node: ast.For) -> ast.AST:
        self.generic_visit(node)
        body = node.body[0] if len(node.body) == 1 and not node.orelse else None
        value = body.value if isinstance(body, ast.Expr) else None
        yielded = ast.unparse(value.value) if isinstance(value, ast.Yield) and value.value else None
        if yielded is not None and yielded == ast.unparse(node.target):
            return ast.copy_location(ast.Expr(ast.YieldFrom(node.iter)), node)
        return node


def _without_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0].value if body and isinstance(body[0], ast.Expr) else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                node.body = body[1:] or [ast.Pass()]


def _units(statements: list[ast.stmt], prefix: str = "") -> dict[str, ast.AST]:
    """Each function (by qualified name) and each other statement (numbered) of a module or class."""
    units: dict[str, ast.AST] = {}
    count = 0
    for node in statements:
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            continue  # imports for the type checker
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            units[prefix + node.name] = node
        elif isinstance(node, ast.ClassDef):
            header = ast.ClassDef(node.name, node.bases, node.keywords, [ast.Pass()], node.decorator_list)
            units[prefix + node.name] = header
            units |= _units(node.body, f"{prefix}{node.name}.")
        else:
            count += 1
            units[f"{prefix}#{count}"] = node
    return units


def _signature(node: ast.AST) -> str:
    assert isinstance(node, ast.FunctionDef)
    return f"{node.name}({ast.unparse(node.args)})"


def _parse(path: Path, names: tuple[str, ...] | None, to_sync: bool) -> dict[str, ast.AST]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    _without_docstrings(tree)
    if names is not None:  # twins inside one module: just these classes and functions
        tree.body = [n for n in tree.body if getattr(n, "name", None) in names]
    if to_sync:
        tree = ToSync().visit(tree)
    tree = YieldFrom().visit(tree)
    return _units(tree.body)


# (sync module, async module, the twin classes or functions when both live in one module)
PAIRS = [
    ("_sync_client.py", "_async_client.py", None),
    ("_websocket_sync.py", "_websocket_async.py", None),
    ("_streaming.py", "_streaming.py", (("Stream",), ("AsyncStream",))),
    ("_response.py", "_response.py", (("BinaryResponse",), ("AsyncBinaryResponse",))),
    ("_raw.py", "_raw.py", (("to_raw_response_wrapper",), ("async_to_raw_response_wrapper",))),
    ("_stream_policy.py", "_stream_policy.py", (("check_event_stream",), ("acheck_event_stream",))),
    ("_pagination.py", "_pagination.py", (("SyncPage",), ("AsyncPage",))),
    ("_multipart.py", "_multipart.py", (("_read_chunks",), ("_async_chunks",))),
]

# Twins whose bodies cannot be the same code, and why; their arguments still must agree.
DIFFERENT = {
    "SyncAPIClient._sleep": "anyio.sleep, which works under asyncio and trio, against time.sleep",
    "SyncAPIClient._emit": "the async client awaits a hook that returns an awaitable",
    "SyncAPIClient.get_page": "the async one returns a paginator, which sends nothing until it is awaited",
    "WebSocketSession.close": "threads may close while another receives; tasks switch only at an await",
    "WebSocketSession._open_once": "websockets' sync connection is entered as a context manager",
    "WebSocketSession._await_first": "recv(timeout) against asyncio.timeout()",
    "WebSocketSession._receive": "recv(timeout) against asyncio.timeout()",
}
# Statements only the async twin has (as they read with async taken out), and why.
ASYNC_ONLY = {
    "close = close": "AsyncAPIClient.close is aclose, for code written against either spelling",
    "_awaits_hooks = True": "the async client awaits async hooks; the sync one rejects them",
}


@pytest.mark.parametrize(
    ("sync", "async_", "names"), PAIRS, ids=[p[1] + (f":{p[2][1][0]}" if p[2] else "") for p in PAIRS]
)
def test_the_async_twin_is_the_sync_code_with_async_taken_out(
    sync: str, async_: str, names: tuple[tuple[str, ...], tuple[str, ...]] | None
) -> None:
    expected = _parse(RUNTIME / sync, names[0] if names else None, to_sync=False)
    actual = _parse(RUNTIME / async_, names[1] if names else None, to_sync=True)
    extra = [key for key, node in actual.items() if _code(node) in ASYNC_ONLY]
    actual = {key: node for key, node in actual.items() if key not in extra}
    assert [key.split("#")[0] for key in actual] == [key.split("#")[0] for key in expected]
    for (key, node), twin in zip(expected.items(), actual.values(), strict=True):
        if key in DIFFERENT:
            assert _signature(twin) == _signature(node), key
        else:
            assert _code(twin) == _code(node), key


def _code(node: ast.AST) -> str:
    text = ast.unparse(node)
    for call, sync in CALLS.items():
        text = text.replace(call, sync)
    return text
