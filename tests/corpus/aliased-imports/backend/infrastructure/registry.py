"""Where abstractions are registered and looked up by name."""

_REGISTRY: dict[str, object] = {}


def build_abstraction(name: str) -> object:
    return _REGISTRY.setdefault(name, object())


def get_abstraction(name: str) -> object:
    return _REGISTRY[name]
