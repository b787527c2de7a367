from app.namespaces.dispatch import DispatchNamespace

__all__ = ["DispatchNamespace"]
