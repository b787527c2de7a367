"""Stage 1, config: the pack (rules, requirements, parameters) merged with the user's config.

Everything is validated by pydantic with `extra="forbid"`. Every problem of a file is collected
and reported at once, each naming the file, the key path and what was expected.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pattern_verify import globs, resources
from pattern_verify.errors import ConfigError, GitError, validation_problems
from pattern_verify.models import ExcludeRule
from pattern_verify.specs import (
    DEFAULT_PACK,
    DiagramSpec,
    ExceptionEntry,
    PackSpec,
    ParameterValue,
    RequirementSpec,
    RuleInfo,
    Spec,
    UserConfig,
)
from pattern_verify.store import FactsStore, json_entry

CONFIG_LOCATIONS = (".github/pattern-verify.yml", ".github/pattern-verify.yaml")

_PARAM_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NEGATED_PARAM_REF = re.compile(r"!\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ResolvedConfig(BaseModel):
    """The pack and the user's config merged, parameters substituted: what the run uses."""

    model_config = ConfigDict(frozen=True)

    source: Path | None
    config_id: str
    title: str
    pack: PackSpec
    pack_dir: Path
    parameters: dict[str, ParameterValue]
    requirements: tuple[RequirementSpec, ...]
    rules: tuple[RuleInfo, ...]
    # the rules themselves, as semgrep reads them: the scan hands semgrep all of them in one
    # file (semgrep validates each config file in a process of its own, ~0.13 s apiece)
    rule_documents: tuple[dict[str, Any], ...] = Field(repr=False)
    include: tuple[str, ...]
    exclude: tuple[ExcludeRule, ...]
    templates_dir: Path | None
    # accepted deviations of the config, and how reports name the file they are written in
    exceptions: tuple[ExceptionEntry, ...] = ()
    source_label: str = "(default config)"
    summary: str
    conclusion_pass: str
    conclusion_fail: str
    diagram: DiagramSpec | None = None

    @property
    def rule_files(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(rule.file for rule in self.rules))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lang for rule in self.rules for lang in rule.languages}))

    @cached_property
    def _exclude_patterns(self) -> tuple[str, ...]:
        return tuple(rule.pattern for rule in self.exclude)

    def is_excluded(self, path: str) -> bool:
        if self.include and not globs.matches_any(path, self.include):
            return True
        return globs.matches_any(path, self._exclude_patterns)


# ---------------------------------------------------------------------------------------------
# loading


# libyaml when PyYAML was built with it (the wheels are): ~10x faster than the pure loader
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """YAML as `yaml.safe_load` reads it; raises `yaml.YAMLError`."""
    return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader, C or pure


# a file's YAML as the facts store remembers it: JSON, read ~30x faster than PyYAML constructs
# the same objects (its parser is C, its constructor Python: ≈0.01 s of a warm run's 8 files)
YAML_MEMO = "pattern-verify-yaml/1"


def _yaml_key(text: str) -> str:
    loader = f"{yaml.__version__}/{_YAML_LOADER.__name__}"
    return hashlib.sha256(f"{YAML_MEMO}\0{loader}\0{text}".encode()).hexdigest()


def _exact_json(data: Any) -> str | None:
    """`data` as JSON, when reading it back gives `data` exactly: None for what JSON would
    change (dates, sets, keys that are not strings, NaN, binary)."""
    try:
        encoded = json.dumps(data, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return None
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return encoded


def remembered_yaml(key: str, entry: bytes | None) -> tuple[Any] | None:
    """The YAML data the store kept under `key`, in a tuple (an empty file's is None); None
    when there is none or it is not whole."""
    found = json_entry(entry, YAML_MEMO, key)
    return None if found is None else (found.get("data"),)


def _loaded(text: str, store: FactsStore | None) -> Any:
    """`load_yaml(text)`, or what it gave as the store remembers it; noted there (when the
    store is writable) if JSON holds it exactly."""
    if store is None:
        return load_yaml(text)
    key = _yaml_key(text)
    found = remembered_yaml(key, store.get(key))
    if found is not None:
        return found[0]
    data = load_yaml(text)
    if store.writable:
        encoded = _exact_json({"format": YAML_MEMO, "key": key, "data": data})
        if encoded is not None:
            store.put(key, encoded.encode("utf-8"))
    return data


def _read_yaml(path: Path, store: FactsStore | None = None) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"cannot be read: {exc}"]) from None
    try:
        return _loaded(text, store)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), [f"{where}not valid YAML ({problem})"]) from None


def _parse(model: type[Spec], data: Any, path: Path) -> Any:
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            str(path), [f"(top level): expected a mapping, got {type(data).__name__}"]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(str(path), validation_problems(exc)) from None


def _raw_parameter_problems(source: Path | None, config_base: Path) -> list[str]:
    """Type errors of a config's `parameters` against its pack, read from the raw file (for
    a config whose other keys did not validate); nothing when that cannot be told."""
    if source is None:
        return []
    try:
        data = _read_yaml(source)
        name = data.get("pack", DEFAULT_PACK) if isinstance(data, Mapping) else DEFAULT_PACK
        values = data.get("parameters") if isinstance(data, Mapping) else None
        if not isinstance(name, str) or not isinstance(values, Mapping):
            return []
        pack_file = _pack_dir(name, config_base) / "pack.yml"
        pack = _parse(PackSpec, _read_yaml(pack_file), pack_file)
    except (ConfigError, OSError):
        return []
    problems = []
    for key, value in values.items():
        default = pack.parameters.get(key)
        if default is None or not isinstance(value, (str, list)):
            continue  # unknown or mistyped at all: the schema error already names it
        if isinstance(default, list) != isinstance(value, list):
            expected = "a list of strings" if isinstance(default, list) else "a string"
            problems.append(f"parameters.{key}: expected {expected}")
    return problems


def discover_config(root: Path) -> Path | None:
    for name in CONFIG_LOCATIONS:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def _pack_dir(name: str, base: Path) -> Path:
    candidate = (base / name) if ("/" in name or name.startswith(".")) else None
    if candidate is not None:
        return candidate
    return resources.packs_dir() / name


def _substitute(
    value: Any, parameters: Mapping[str, ParameterValue], problems: list[str], where: str
) -> Any:
    """Replace `${name}` by the parameter's value; a whole-string reference to a list parameter
    inside a list expands in place, and `!${name}` to the list with every item negated."""
    if isinstance(value, str):
        whole = _PARAM_REF.fullmatch(value)
        if whole and isinstance(parameters.get(whole.group(1)), list):
            return parameters[whole.group(1)]
        negated = _NEGATED_PARAM_REF.fullmatch(value)
        if negated and isinstance(parameters.get(negated.group(1)), list):
            return [f"!{item}" for item in parameters[negated.group(1)]]

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in parameters:
                problems.append(f"{where}: unknown parameter ${{{name}}}")
                return match.group(0)
            param = parameters[name]
            return ", ".join(param) if isinstance(param, list) else param

        return _PARAM_REF.sub(replace, value)
    if isinstance(value, list):
        out: list[Any] = []
        for index, item in enumerate(value):
            substituted = _substitute(item, parameters, problems, f"{where}[{index}]")
            if isinstance(item, str) and isinstance(substituted, list):
                out.extend(substituted)
            else:
                out.append(substituted)
        return out
    if isinstance(value, dict):
        return {
            key: _substitute(item, parameters, problems, f"{where}.{key}")
            for key, item in value.items()
        }
    return value


def _load_rules(
    files: Sequence[Path], problems: list[str], store: FactsStore | None
) -> tuple[list[RuleInfo], list[dict[str, Any]]]:
    rules: list[RuleInfo] = []
    documents: list[dict[str, Any]] = []
    for file in files:
        try:
            data = _read_yaml(file, store)
        except ConfigError as exc:
            problems.extend(f"{file}: {problem}" for problem in exc.problems)
            continue
        if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
            problems.append(f"{file}: expected a semgrep rule file with a top-level `rules:` list")
            continue
        for index, rule in enumerate(data["rules"]):
            rule_id = rule.get("id") if isinstance(rule, Mapping) else None
            metadata = rule.get("metadata") if isinstance(rule, Mapping) else None
            fact = metadata.get("fact") if isinstance(metadata, Mapping) else None
            if not isinstance(rule_id, str) or not isinstance(fact, str):
                problems.append(
                    f"{file}: rules[{index}]: expected an `id` and `metadata.fact` "
                    "(the kind of fact the rule reports)"
                )
                continue
            captures = metadata.get("captures", []) if isinstance(metadata, Mapping) else []
            if not isinstance(captures, list) or not all(isinstance(c, str) for c in captures):
                problems.append(
                    f"{file}: rules[{index}] ({rule_id}): metadata.captures: "
                    "expected a list of names"
                )
                captures = []
            message = str(rule.get("message", ""))
            for capture in captures:
                if f"${capture.upper()}" not in message:
                    problems.append(
                        f"{file}: rules[{index}] ({rule_id}): capture `{capture}` needs "
                        f"`${capture.upper()}` in the rule's message"
                    )
            names = _rule_names(
                metadata if isinstance(metadata, Mapping) else {},
                captures,
                f"{file}: rules[{index}] ({rule_id})",
                problems,
            )
            defaults = _rule_defaults(
                metadata if isinstance(metadata, Mapping) else {},
                captures,
                f"{file}: rules[{index}] ({rule_id})",
                problems,
            )
            languages = rule.get("languages", [])
            rules.append(
                RuleInfo(
                    id=rule_id,
                    fact=fact,
                    message=message,
                    captures=tuple(captures),
                    languages=tuple(str(lang) for lang in languages)
                    if isinstance(languages, list)
                    else (),
                    file=file,
                    names=names,
                    defaults=defaults,
                )
            )
            documents.append(dict(rule))
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append(f"{rule.file}: rule id `{rule.id}` is also defined in {seen[rule.id]}")
        seen.setdefault(rule.id, rule.file)
    return rules, documents


def _rule_defaults(
    metadata: Mapping[str, Any], captures: Sequence[str], where: str, problems: list[str]
) -> tuple[tuple[str, str], ...]:
    """`metadata.defaults`: capture → the value it has when the code leaves it out (a server
    option with a documented default, such as socket.io's path)."""
    defaults = metadata.get("defaults", {})
    if not isinstance(defaults, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in defaults.items()
    ):
        problems.append(f"{where}: metadata.defaults: expected a mapping of captures to strings")
        return ()
    out: list[tuple[str, str]] = []
    for capture, value in defaults.items():
        if capture not in captures:
            problems.append(
                f"{where}: metadata.defaults: `{capture}` is not one of metadata.captures"
            )
            continue
        out.append((capture, value))
    return tuple(sorted(out))


def _rule_names(
    metadata: Mapping[str, Any], captures: Sequence[str], where: str, problems: list[str]
) -> tuple[tuple[str, str], ...]:
    """`metadata.names`: capture → regex (named groups derived from the resolved name)."""
    names = metadata.get("names", {})
    if not isinstance(names, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in names.items()
    ):
        problems.append(
            f"{where}: metadata.names: expected a mapping of captures to regexes (or empty)"
        )
        return ()
    out: list[tuple[str, str]] = []
    for capture, regex in names.items():
        if capture not in captures:
            problems.append(f"{where}: metadata.names: `{capture}` is not one of metadata.captures")
            continue
        try:
            re.compile(regex or "")
        except re.error as exc:
            problems.append(f"{where}: metadata.names.{capture}: not a valid regex ({exc})")
            continue
        out.append((capture, regex or ""))
    return tuple(out)


def load_config(
    root: Path,
    config_path: Path | None = None,
    *,
    extra_include: Sequence[str] = (),
    extra_exclude: Sequence[str] = (),
    store: FactsStore | None = None,
) -> ResolvedConfig:
    """Load the user's config (given, or discovered under `root`) and the pack it names
    (`store`: the facts store, which remembers the YAML files as read)."""
    source = config_path if config_path is not None else discover_config(root)
    config_base = source.parent if source is not None else root
    if source is not None and source.parent.name == ".github":
        config_base = source.parent.parent
    try:
        user = (
            UserConfig()
            if source is None
            else _parse(UserConfig, _read_yaml(source, store), source)
        )
    except ConfigError as exc:
        # every error at once: the parameters are checked against the pack even when other
        # keys did not validate
        raise ConfigError(
            exc.path, exc.problems + _raw_parameter_problems(source, config_base)
        ) from None

    pack_dir = _pack_dir(user.pack, config_base)
    pack_file = pack_dir / "pack.yml"
    if not pack_file.is_file():
        where = str(source) if source else "(default config)"
        known = ", ".join(
            sorted(p.name for p in resources.packs_dir().iterdir() if (p / "pack.yml").is_file())
        )
        raise ConfigError(where, [f"pack: no pack named `{user.pack}` (bundled packs: {known})"])
    pack = _parse(PackSpec, _read_yaml(pack_file, store), pack_file)

    user_file = str(source) if source is not None else "(command line)"
    problems: list[str] = []  # each names its file: "<file>: <key>: <what was expected>"
    parameters: dict[str, ParameterValue] = dict(pack.parameters)
    for name, value in user.parameters.items():
        if name not in pack.parameters:
            known = ", ".join(sorted(pack.parameters)) or "none"
            problems.append(
                f"{user_file}: parameters.{name}: unknown parameter of pack `{pack.id}` "
                f"(known: {known})"
            )
        elif isinstance(pack.parameters[name], list) != isinstance(value, list):
            expected = (
                "a list of strings" if isinstance(pack.parameters[name], list) else "a string"
            )
            problems.append(f"{user_file}: parameters.{name}: expected {expected}")
        else:
            parameters[name] = value

    rule_files = [pack_dir / name for name in pack.rules]
    for index, name in enumerate(pack.rules):
        if not (pack_dir / name).is_file():
            problems.append(f"{pack_file}: rules[{index}]: file not found: {pack_dir / name}")
    for requirement in user.requirements:
        rule_files.extend(config_base / name for name in requirement.rules)
    for index, requirement in enumerate(user.requirements):
        for rindex, name in enumerate(requirement.rules):
            if not (config_base / name).is_file():
                problems.append(
                    f"{user_file}: requirements[{index}].rules[{rindex}]: "
                    f"file not found: {config_base / name}"
                )
    rules, rule_documents = _load_rules([f for f in rule_files if f.is_file()], problems, store)

    requirements: list[RequirementSpec] = []
    seen_ids: set[str] = set()
    all_specs = [("pack", i, r) for i, r in enumerate(pack.requirements)] + [
        ("config", i, r) for i, r in enumerate(user.requirements)
    ]
    known_facts = {rule.fact for rule in rules}
    for origin, index, spec in all_specs:
        where = f"{pack_file if origin == 'pack' else user_file}: requirements[{index}]"
        data = _substitute(spec.model_dump(), parameters, problems, where)
        try:
            resolved = RequirementSpec.model_validate(data)
        except ValidationError as exc:
            # valid as written, invalid once the parameters are in (e.g. an empty list of
            # allowed paths): the parameters the requirement uses are what to change
            used = set(_PARAM_REF.findall(json.dumps(spec.model_dump())))
            set_by_user = sorted(used & set(user.parameters))
            for problem in validation_problems(exc):
                if set_by_user:
                    keys = ", ".join(f"parameters.{name}" for name in set_by_user)
                    problems.append(
                        f"{user_file}: {keys}: makes requirement `{spec.id}` invalid ({problem})"
                    )
                else:
                    problems.append(f"{where}.{problem}")
            continue
        if resolved.id in seen_ids:
            problems.append(f"{where}.id: `{resolved.id}` is already a requirement of the pack")
        seen_ids.add(resolved.id)
        for cindex, check in enumerate(resolved.checks):
            for fact in check.facts:
                if fact not in known_facts:
                    problems.append(
                        f"{where}.checks[{cindex}].facts: no rule reports the fact `{fact}` "
                        f"(known: {', '.join(sorted(known_facts))})"
                    )
        for pindex, pattern in enumerate(resolved.correct_patterns):
            for fact in pattern.facts:
                if fact not in known_facts:
                    problems.append(
                        f"{where}.correct_patterns[{pindex}].facts: no rule reports the fact "
                        f"`{fact}`"
                    )
            if pattern.select and not pattern.facts:
                problems.append(
                    f"{where}.correct_patterns[{pindex}].select: a pattern without `facts` has "
                    "no facts to select (expected `facts` beside it)"
                )
            if pattern.rules:
                problems.append(
                    f"{where}.correct_patterns[{pindex}].rules: only an anti-pattern has `rules` "
                    "(expected `facts` for a correct pattern)"
                )
        for pindex, pattern in enumerate(resolved.anti_patterns):
            for key in ("facts", "select"):
                if getattr(pattern, key):
                    problems.append(
                        f"{where}.anti_patterns[{pindex}].{key}: only a correct pattern has "
                        f"`{key}` (expected `rules` for an anti-pattern)"
                    )
            for glob in pattern.rules:
                if not any(fnmatch.fnmatchcase(rule.id, glob) for rule in rules):
                    problems.append(
                        f"{where}.anti_patterns[{pindex}].rules: no rule id matches `{glob}`"
                    )
        if origin == "pack" or resolved not in requirements:
            requirements.append(resolved)

    diagram = _resolve_diagram(pack, user, parameters, known_facts, pack_file, user_file, problems)

    summary = _substitute(pack.summary, parameters, problems, f"{pack_file}: summary")
    conclusion_pass = _substitute(
        pack.conclusion_pass, parameters, problems, f"{pack_file}: conclusion_pass"
    )
    conclusion_fail = _substitute(
        pack.conclusion_fail, parameters, problems, f"{pack_file}: conclusion_fail"
    )

    templates_dir: Path | None = None
    if user.templates is not None:
        templates_dir = config_base / user.templates
        if not templates_dir.is_dir():
            problems.append(
                f"{user_file}: templates: expected a directory, not found: {templates_dir}"
            )

    known_ids = sorted(spec.id for spec in requirements)
    for index, entry in enumerate(user.exceptions):
        if entry.requirement not in known_ids:
            problems.append(
                f"{user_file}: exceptions[{index}].requirement: unknown requirement "
                f"`{entry.requirement}` (known: {', '.join(known_ids)})"
            )

    if problems:
        raise ConfigError("", problems)

    exclude = [ExcludeRule(pattern=p, source="pack") for p in pack.exclude]
    exclude += [ExcludeRule(pattern=p, source="config") for p in user.exclude]
    exclude += [ExcludeRule(pattern=p, source="command line") for p in extra_exclude]
    config_id = pack.id
    source_label = "(default config)"
    if source is not None:
        try:
            source_label = source.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            source_label = source.name
        config_id = f"{pack.id}:{source_label}"

    return ResolvedConfig(
        source=source,
        config_id=config_id,
        title=user.title or pack.title,
        pack=pack,
        pack_dir=pack_dir,
        parameters=parameters,
        requirements=tuple(requirements),
        rules=tuple(rules),
        rule_documents=tuple(rule_documents),
        include=tuple(user.include) + tuple(extra_include),
        exclude=tuple(exclude),
        templates_dir=templates_dir,
        exceptions=tuple(user.exceptions),
        source_label=source_label,
        summary=summary,
        conclusion_pass=conclusion_pass,
        conclusion_fail=conclusion_fail,
        diagram=diagram,
    )


def exception_entries(text: str) -> tuple[ExceptionEntry, ...]:
    """The `exceptions:` of a config file's text, leniently: entries that do not validate are
    left out (used for the base's version of the config, to tell which exceptions are new)."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        return ()
    raw = data.get("exceptions") if isinstance(data, Mapping) else None
    if not isinstance(raw, list):
        return ()
    entries = []
    for item in raw:
        try:
            entries.append(ExceptionEntry.model_validate(item))
        except ValidationError:
            continue
    return tuple(entries)


def _resolve_diagram(
    pack: PackSpec,
    user: UserConfig,
    parameters: Mapping[str, ParameterValue],
    known_facts: set[str],
    pack_file: Path,
    user_file: str,
    problems: list[str],
) -> DiagramSpec | None:
    """The pack's diagram with parameters substituted and the user's settings in place."""
    if pack.diagram is None:
        if user.diagram is not None:
            problems.append(f"{user_file}: diagram: pack `{pack.id}` declares no diagram to show")
        return None
    where = f"{pack_file}: diagram"
    data = _substitute(pack.diagram.model_dump(), parameters, problems, where)
    try:
        diagram = DiagramSpec.model_validate(data)
    except ValidationError as exc:
        problems.extend(f"{where}.{problem}" for problem in validation_problems(exc))
        return None
    for rindex, role in enumerate(diagram.roles):
        for sindex, source in enumerate(role.sources):
            for fact in source.facts:
                if fact != "*" and fact not in known_facts:
                    problems.append(
                        f"{where}.roles[{rindex}].sources[{sindex}].facts: no rule reports "
                        f"the fact `{fact}` (known: {', '.join(sorted(known_facts))})"
                    )
    if user.diagram is not None:
        diagram = diagram.model_copy(update={"settings": user.diagram})
    return diagram


# ---------------------------------------------------------------------------------------------
# trusted configuration (pull_request_target): config, rules and templates from the base


def _config_references(config_file: Path) -> list[str]:
    """Repository paths a config names (a pack directory, templates, custom rule files), as
    the config model reads them; none when it does not validate (loading it then says why,
    with the file and key)."""
    try:
        user = _parse(UserConfig, _read_yaml(config_file), config_file)
    except ConfigError:
        return []
    paths: list[str] = []
    if "/" in user.pack or user.pack.startswith("."):
        paths.append(user.pack)
    if user.templates is not None:
        paths.append(user.templates)
    for requirement in user.requirements:
        paths.extend(requirement.rules)
    return paths


@contextmanager
def trusted_config_root(root: Path, base_ref: str, config_path: Path | None) -> Iterator[Path]:
    """A temporary directory holding the config, its rule files, pack and templates exactly
    as they are at `base_ref`, so a pull request cannot weaken the check that judges it."""
    # here, not at the top: loading a config (check-config, init) needs no git
    from pattern_verify import git

    repo = git.find(root)
    if repo is None:
        raise GitError("trusted-config: base needs a git repository")
    head_sha = repo.head_sha()
    if head_sha is None:
        raise GitError("trusted-config: base needs a commit at HEAD")
    base = repo.merge_base(base_ref, head_sha).base.sha
    assert base is not None  # a resolved commit has a sha
    if config_path is not None:
        try:
            relative = config_path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise GitError(
                f"trusted-config: base needs the config inside the repository, not {config_path}"
            ) from None
        candidates = [relative]
    else:
        candidates = list(CONFIG_LOCATIONS)
    directory = Path(tempfile.mkdtemp(prefix="pattern-verify-trusted-"))
    try:
        local = directory / "root"
        for candidate in candidates:
            repo.export(base, root, candidate, local)
        for candidate in candidates:
            config_file = local / candidate
            if config_file.is_file():
                base_dir = config_file.parent
                if base_dir.name == ".github":
                    base_dir = base_dir.parent
                for reference in _config_references(config_file):
                    referenced = (base_dir / reference).resolve()
                    if referenced.is_relative_to(local.resolve()):
                        path = referenced.relative_to(local.resolve()).as_posix()
                        repo.export(base, root, path, local)
                break
        local.mkdir(parents=True, exist_ok=True)
        yield local
    finally:
        shutil.rmtree(directory, ignore_errors=True)
