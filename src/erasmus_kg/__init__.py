"""erasmus-kg: a knowledge graph of Erasmus+ projects."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("erasmus-kg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
