"""What `erasmus-kg serve` is told: where the graph is, where the server listens, what it may cost."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.remote.http import Credentials

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_QUERY_SECONDS = 30.0
"""How long one query sent to `/sparql` may run before it is stopped (and may wait for a free worker)."""
DEFAULT_ROW_LIMIT = 10_000
"""How many rows `/sparql` and the query API return at most for one request."""
DEFAULT_QUERY_WORKERS = 2
"""How many processes evaluate `/sparql` queries on the embedded store at once (`web.query_workers`)."""
DEFAULT_QUERY_MEMORY_MB = 4096
"""How much memory (MB of heap: the data segment and private anonymous mappings, `RLIMIT_DATA`) one worker
may use for its query; 0: no limit. A query of the 327,000-project store's lists takes a few hundred MB."""
DEFAULT_PAGE_ROWS = 50
"""How many rows a list on a page shows at a time."""


@dataclass(frozen=True)
class ServeConfig:
    """The settings of one server. `base` is the address our namespace (`namespaces.BASE`) is served
    under when it is not the published one (e.g. `http://127.0.0.1:8080/`): IRIs in the graph keep their
    published form, links on pages and in documents are mapped onto the base."""

    store: Path | None = None
    endpoint: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    base: str | None = None
    query_seconds: float = DEFAULT_QUERY_SECONDS
    row_limit: int = DEFAULT_ROW_LIMIT
    query_workers: int = DEFAULT_QUERY_WORKERS
    query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB
    page_rows: int = DEFAULT_PAGE_ROWS
    credentials: Credentials | None = None
    """For `endpoint` (None: from the environment), sent as `auth` says (`remote.http`)."""
    auth: str = "auto"
    allow_insecure_auth: bool = False
    union_default_graph: bool = False
    """For `endpoint`: its default graph is the union of its graphs (`remote.sparql.open_endpoint`)."""
