"""Names behind aliases (pure): the symbol a name written in a Python file stands for.

Semgrep matches through a file's imports (`G(...)` matches a rule about
`WebSocketGatewayService` when `G` is imported as its alias), but a message shows the name as
written. A rule's `metadata.names` lists the captures that hold such names; this module reads
the file's imports statically and gives the fact the resolved name:

- `from m import X as G`, `import m as a` + `a.X`, `from pkg import mod as a` + `a.X`;
- re-exports through other files of the tree (a package `__init__` importing, renaming or
  assigning the name), followed to the module that defines it;
- `getattr(module, "X")`, also with a module constant holding the string.

A name that a static reading cannot tell (`getattr(module, name)` with a name known only at run
time, a local bound to a call's result, two imports binding different symbols to one name, a
module with its own `__getattr__`) is unresolved: never guessed. A name imported from outside
the tree resolves to the name it was imported as (renames can only happen in code we can read).

Files are read through a callback, so the same reading serves the head tree and the base
versions of a pull request's changed files.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from posixpath import dirname, join, normpath

from pattern_verify.models import Finding
from pattern_verify.specs import RuleInfo

Read = Callable[[str], str | None]
_MAX_DEPTH = 16
# a statement-by-statement fallback for files that do not parse as a whole
_IMPORT_STATEMENT = re.compile(
    r"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n#;]+)|import[ \t]+[^\n#;]+)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class _Import:
    """`from <module> import <symbol>` (symbol set) or `import <module>` (symbol None)."""

    module: str
    level: int
    symbol: str | None


@dataclass(frozen=True)
class _Assigned:
    """`name = <value>` anywhere in the file."""

    value: ast.expr


_Binding = _Import | _Assigned | None  # None: defined here (class, def)


@dataclass
class FileNames:
    """Every binding of a name in one file, in any scope (a function-local import counts)."""

    bindings: dict[str, list[_Binding]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    module_getattr: bool = False

    def bind(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


def read_python(text: str) -> FileNames:
    """The bindings of a Python file: imports, definitions, assignments, string constants."""
    names = FileNames()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        # semgrep reads what it can of a broken file; read its import statements at least
        for match in _IMPORT_STATEMENT.finditer(text):
            try:
                _collect(ast.parse(match.group(0).strip()), names)
            except (SyntaxError, ValueError):
                continue
        return names
    _collect(tree, names)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.constants[target.id] = node.value.value
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "__getattr__":
            names.module_getattr = True
    return names


def _collect(tree: ast.AST, names: FileNames) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names.bind(alias.asname, _Import(alias.name, 0, None))
                else:  # `import a.b.c` binds `a`
                    head = alias.name.split(".")[0]
                    names.bind(head, _Import(head, 0, None))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    local = alias.asname or alias.name
                    names.bind(local, _Import(node.module or "", node.level, alias.name))
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.bind(node.name, None)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    names.bind(target.id, _Assigned(node.value))


def _is_getattr(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) in (2, 3)
        and not node.keywords
    )


class _Unresolved(Exception):
    """A static reading cannot tell the name."""


@dataclass(frozen=True)
class _Module:
    """A module as imported from a file (`level` dots of a relative import), and its file in
    the tree when the tree holds it."""

    importer: str
    name: str
    level: int
    path: str | None


class Resolver:
    """Resolves names written in the files of one tree (head, or a PR's base)."""

    def __init__(self, read: Read) -> None:
        self._read = read
        self._files: dict[str, FileNames | None] = {}

    def file_names(self, path: str) -> FileNames | None:
        if path not in self._files:
            text = self._read(path)
            self._files[path] = None if text is None else read_python(text)
        return self._files[path]

    def resolve(self, path: str, written: str) -> str | None:
        """The name `written` (an expression's text in the file at `path`) stands for, or None
        when a static reading cannot tell.

        In the file itself a bare name is followed through its imports only: the text of a
        capture does not say whether it was a name or an attribute (`self.x_abstraction`), and
        a local variable of that name elsewhere in the file is not what the rule matched.
        """
        try:
            expression = ast.parse(written.strip(), mode="eval").body
        except (SyntaxError, ValueError):
            return None
        try:
            if isinstance(expression, ast.Name):
                imports = [b for b in self._bindings(path, expression.id) if isinstance(b, _Import)]
                return self._one(path, expression.id, imports, 0)
            return self._expression(path, expression, 0)
        except _Unresolved:
            return None

    def _expression(self, path: str, node: ast.expr, depth: int) -> str:
        if depth > _MAX_DEPTH:
            raise _Unresolved
        if isinstance(node, ast.Name):
            return self._one(path, node.id, self._bindings(path, node.id), depth + 1)
        if isinstance(node, ast.Attribute):
            module = self._module_of(path, node.value, depth + 1)
            if module is None:  # an object's attribute: its name is the attribute's
                return node.attr
            return self._symbol(module, node.attr, depth + 1)
        if isinstance(node, ast.Call) and _is_getattr(node):
            key = self._string(path, node.args[1])
            module = self._module_of(path, node.args[0], depth + 1)
            return key if module is None else self._symbol(module, key, depth + 1)
        raise _Unresolved

    def _string(self, path: str, node: ast.expr) -> str:
        """A string literal, or a name bound once, to a string literal, at module level."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Attribute):  # a module's constant: `po.GATEWAY_CLASS`
            module = self._module_of(path, node.value, 0)
            if module is not None and module.path is not None:
                return self._string(module.path, ast.Name(id=node.attr))
            raise _Unresolved
        names = self.file_names(path)
        if (
            isinstance(node, ast.Name)
            and names is not None
            and node.id in names.constants
            and len(names.bindings.get(node.id, [])) == 1
        ):
            return names.constants[node.id]
        raise _Unresolved

    def _bindings(self, path: str, name: str) -> list[_Binding]:
        names = self.file_names(path)
        return [] if names is None else names.bindings.get(name, [])

    def _one(self, path: str, name: str, bindings: Sequence[_Binding], depth: int) -> str:
        if not bindings:
            return name  # defined here, a builtin, or a name this reading does not see bound
        found = {self._binding(path, name, b, depth) for b in bindings}
        if len(found) != 1:
            raise _Unresolved  # bound to different symbols in different places
        return found.pop()

    def _binding(self, path: str, name: str, binding: _Binding, depth: int) -> str:
        if binding is None:
            return name
        if isinstance(binding, _Assigned):
            value = binding.value
            if isinstance(value, ast.Name | ast.Attribute) or _is_getattr(value):
                return self._expression(path, value, depth + 1)
            return name  # a value made here (`x = build()`): this is where the name is defined
        if binding.symbol is None:  # `import a.b as name`: a module, named by its last part
            return binding.module.rsplit(".", 1)[-1]
        module = self._module(path, binding.module, binding.level)
        if binding.symbol not in self._bound(module) and (
            sub := self._submodule(module, binding.symbol)
        ):
            return sub.name.rsplit(".", 1)[-1]
        return self._symbol(module, binding.symbol, depth + 1)

    def _bound(self, module: _Module) -> dict[str, list[_Binding]]:
        names = self.file_names(module.path) if module.path is not None else None
        return {} if names is None else names.bindings

    def _module_of(self, path: str, node: ast.expr, depth: int) -> _Module | None:
        """The module an expression stands for, when it is one (`gm` of `import m as gm`)."""
        if depth > _MAX_DEPTH:
            raise _Unresolved
        if isinstance(node, ast.Attribute):
            parent = self._module_of(path, node.value, depth + 1)
            return None if parent is None else self._submodule(parent, node.attr)
        if not isinstance(node, ast.Name):
            return None
        modules = {self._binding_module(path, b, depth + 1) for b in self._bindings(path, node.id)}
        return modules.pop() if len(modules) == 1 else None

    def _binding_module(self, path: str, binding: _Binding, depth: int) -> _Module | None:
        if isinstance(binding, _Import):
            module = self._module(path, binding.module, binding.level)
            if binding.symbol is None:
                return module
            if binding.symbol in self._bound(module):
                return None  # a name the package binds, not its submodule
            return self._submodule(module, binding.symbol)
        if isinstance(binding, _Assigned):
            return self._module_of(path, binding.value, depth + 1)
        return None

    def _submodule(self, parent: _Module, name: str) -> _Module | None:
        """`parent.name` as a module, when the tree holds it as one."""
        dotted = f"{parent.name}.{name}" if parent.name else name
        module = self._module(parent.importer, dotted, parent.level)
        return module if module.path is not None else None

    def _module(self, importer: str, module: str, level: int) -> _Module:
        """A module imported from the file `importer`, found in the tree where it can be."""
        parts = module.split(".") if module else []
        if level:
            directory = dirname(importer)
            for _ in range(level - 1):
                directory = dirname(directory)
            roots = [directory]
        else:  # the tree's top first, then each directory above the importer (a `src/` layout)
            roots = [""]
            directory = dirname(importer)
            ancestors = []
            while directory:
                ancestors.append(directory)
                directory = dirname(directory)
            roots += reversed(ancestors)
        for root in roots:
            base = join(root, *parts)
            candidates = (
                [join(base, "__init__.py")]
                if not parts
                else [f"{base}.py", join(base, "__init__.py")]
            )
            for candidate in candidates:
                candidate = normpath(candidate)
                if not candidate.startswith("../") and self.file_names(candidate) is not None:
                    return _Module(importer, module, level, candidate)
        return _Module(importer, module, level, None)

    def _symbol(self, module: _Module, symbol: str, depth: int) -> str:
        """What `symbol` of a module is called where it is defined."""
        if module.path is None:
            return symbol  # outside the tree: the name it is imported as
        names = self.file_names(module.path)
        if names is None:
            return symbol
        if symbol in names.bindings:
            return self._one(module.path, symbol, names.bindings[symbol], depth + 1)
        if names.module_getattr:
            raise _Unresolved  # the module makes its names up at run time
        return symbol  # a submodule, or a name re-exported by `import *`: names are kept


@dataclass(frozen=True)
class NameRule:
    """One rule's name captures, with the regexes that derive further captures."""

    rule: RuleInfo

    @cached_property
    def patterns(self) -> tuple[tuple[str, re.Pattern[str] | None], ...]:
        return tuple((c, re.compile(r) if r else None) for c, r in self.rule.names)


def resolve_finding(finding: Finding, rule: NameRule, resolver: Resolver, path: str) -> Finding:
    """The finding with its name captures resolved (the written names kept in `aliases`), or
    marked unresolved. `path` is the file's path in the resolver's tree."""
    captures = dict(finding.captures)
    dynamic = list(finding.dynamic)
    aliases = dict(finding.aliases)
    unresolved = list(finding.unresolved)
    for capture, pattern in rule.patterns:
        written = captures.get(capture)
        if written is None:
            continue
        derived = list(pattern.groupindex) if pattern is not None else []
        # a string literal names the symbol itself; an expression is read through the imports
        resolved = resolver.resolve(path, written) if capture in dynamic else written
        if resolved is None:
            unresolved += [capture, *derived]
            continue
        if capture in dynamic:
            dynamic.remove(capture)
        captures[capture] = resolved
        if resolved != written.rsplit(".", 1)[-1]:
            aliases[capture] = written
        match = pattern.fullmatch(resolved) if pattern is not None else None
        for name in derived:
            value = match.group(name) if match is not None else None
            if value is None:
                unresolved.append(name)
            else:
                captures[name] = value
                if name in dynamic:
                    dynamic.remove(name)
    return finding.model_copy(
        update={
            "captures": captures,
            "dynamic": tuple(dynamic),
            "aliases": aliases,
            "unresolved": tuple(sorted(set(unresolved))),
        }
    )
