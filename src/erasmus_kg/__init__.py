"""erasmus-kg: a knowledge graph of Erasmus+ projects."""

__version__ = "0.1.0"

__all__ = ["__version__"]
