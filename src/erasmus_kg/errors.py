"""The exceptions erasmus-kg raises, and the exit code of each.

Exit codes (documented in the README):
  0  success (for `validate`: the data conforms)
  1  the data does not conform to the shapes (`validate`, loads and imports refused by validation)
  2  a usage or input error: bad parameter, unreadable or malformed file, unreachable endpoint
  3  an internal error (a bug): reported in one line, with the details in the log
"""

from __future__ import annotations


class ErasmusKGError(Exception):
    """Base class. `exit_code` is what the CLI exits with."""

    exit_code = 2


class UsageError(ErasmusKGError):
    """The user asked for something that cannot be done as asked (unknown query, bad option)."""


class ParameterError(UsageError):
    """A query parameter is missing or its value cannot be resolved."""


class InputFileError(ErasmusKGError):
    """A file cannot be read or parsed. The message names the file and, where known, the line (and the
    column: `FILE:LINE:COLUMN: message`)."""

    def __init__(
        self, path: object, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.detail = message
        where = f"{self.path}:{line}" if line else self.path
        where += f":{column}" if line and column else ""
        super().__init__(f"{where}: {message}")


class StoreError(ErasmusKGError):
    """The embedded store cannot be opened, built or switched."""


class EndpointError(ErasmusKGError):
    """A remote SPARQL endpoint failed or answered something that is not SPARQL."""


class EndpointTimeoutError(EndpointError):
    """A remote SPARQL endpoint did not answer within the time it was given."""


class TimeLimitError(ErasmusKGError):
    """A query was stopped because it ran over its time limit, or was not started because no place to run it
    became free within that limit. The web server answers it with 503 Service Unavailable."""


class MemoryLimitError(TimeLimitError):
    """A query was stopped because it needed more memory than a query may use (`serve --query-memory`);
    answered 503 like a query over its time limit."""


class NotConformingError(ErasmusKGError):
    """Data does not conform to the shapes."""

    exit_code = 1


class UnsupportedLibraryError(ErasmusKGError):
    """An installed library (rdflib, pySHACL) is outside the versions that erasmus-kg's patches of its
    internals were written for (see `validation.patches`). Fixed by installing a supported version."""


def one_line(text: object) -> str:
    """`text` (an exception, a message) as one line: every run of white space, line breaks included, one
    space. What every error message of erasmus-kg goes through before it is shown."""
    return " ".join(str(text).split())
