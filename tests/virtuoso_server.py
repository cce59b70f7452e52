"""A real Virtuoso for tests and benchmarks: Debian's `virtuoso-opensource` (7.2.5), started on 127.0.0.1 with
a database of its own in a folder, and stopped at the end.

`.ci/run` installs the package when `virtuoso-t` is missing. The package's own service
(/etc/init.d/virtuoso-opensource-7: the database in /var/lib/virtuoso-opensource-7/db, ports 1111 and 8890)
is started by its postinst through invoke-rc.d, which a container's policy-rc.d refuses ("policy-rc.d denied
execution of start"); where it does run, it does not bother us: this server has its own configuration file,
database files and free ports, and never reads /etc/virtuoso-opensource-7/virtuoso.ini.

The configuration (`config`, written to FOLDER/virtuoso.ini; started as `virtuoso-t +foreground
+configfile FILE`), from the package's template, with only what matters here:

- [Database], [TempDatabase]: every file (database, transaction log, error log, lock) in the folder.
- [Parameters] ServerPort: the SQL listener (isql-vt) on a free port of 127.0.0.1; DisableUnixSocket.
  NumberOfBuffers / MaxDirtyBuffers: the page cache, 8 KB pages (`buffers`: 20,000, 160 MB, for the tests;
  the template uses 10,000 and suggests 170,000 per 2 GB of free memory); ThreadsPerQuery 2 (our 2 cores).
  MaxSortedTopRows = `sorted_rows` (10,000 by default, Virtuoso's own): the most rows an ORDER BY with a
  LIMIT may sort, OFFSET included; past it the query is refused ("SR353: Sorted TOP clause specifies more
  then 20000 rows to sort"), so a sorted answer cut at ResultSetMaxRows can be fetched in pages only when
  this is raised to the rows of the whole answer.
- [HTTPServer] ServerPort: /sparql, /sparql-graph-crud and /sparql-graph-crud-auth on another free port of
  127.0.0.1; ServerRoot a folder of its own (no start page, no VAD packages: the Conductor is not installed).
- [SPARQL] ResultSetMaxRows = `row_limit` (`ROW_LIMIT`, 10,000, Virtuoso's own default and what users meet;
  the benchmark raises it to time whole answers): a result is cut there and only the `X-SPARQL-MaxRows`
  response header says so (tests/test_live_servers.py checks that erasmus-kg reports it).
  MaxQueryCostEstimationTime = 0: no refusal on the optimiser's estimate (with the template's 400 s,
  project-details for VITAE on the packaged data is refused: "The estimated execution time 14699 (sec)
  exceeds the limit of 400 (sec)"). MaxQueryExecutionTime = `time_limit` seconds (the template's 60 by
  default; 0, no limit, for the benchmark's long queries): past it the query fails with HTTP 500, "SR171:
  Transaction timed out".
- No [Plugins] (the template's wiki plugins are not needed).

Grants, set with `isql-vt HOST:PORT dba dba` once the server answers (`GRANTS`):

- `GRANT SPARQL_UPDATE TO "SPARQL"`: the Graph Store Protocol endpoint `/sparql-graph-crud` runs as the SQL
  user SPARQL, which may only read; with this grant anyone who reaches the port may write, which is what a
  test server on the loopback interface can allow. (`/sparql-graph-crud-auth` asks for HTTP Digest instead:
  `curl --digest -u dba:dba` may PUT there, the same with `--basic` is 401.)
- A user `LOADER` with its password `LOADER_PASSWORD`, granted SPARQL_UPDATE: who may write through
  `/sparql-graph-crud-auth` (HTTP Digest), as a site would let its loader write, with a password that is not
  the user's name (the tests check that it appears in no output).
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from pathlib import Path

from .servers import ServerProcess, free_port

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
ROW_LIMIT = 10_000
"""ResultSetMaxRows: Virtuoso's default, kept so that every test runs under the limit users meet."""
LOADER = "loader"
LOADER_PASSWORD = "Wachtwoord-7"
GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL";',
    f"DB.DBA.USER_CREATE('{LOADER}', '{LOADER_PASSWORD}');",
    f'GRANT SPARQL_UPDATE TO "{LOADER}";',
)
START_TIMEOUT = 60.0


def missing() -> str | None:
    """Why Virtuoso cannot run here (None when it can)."""
    absent = [name for name in (VIRTUOSO, ISQL) if shutil.which(name) is None]
    if absent:
        return f"no {' or '.join(absent)} on PATH (Debian: apt-get install virtuoso-opensource)"
    return None


def config(
    folder: Path,
    sql_port: int,
    http_port: int,
    *,
    buffers: int = 20_000,
    time_limit: int = 60,
    row_limit: int = ROW_LIMIT,
    sorted_rows: int = ROW_LIMIT,
) -> str:
    """virtuoso.ini for a server whose every file is in `folder` (see the module's docstring)."""
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {buffers * 3 // 4}
ThreadsPerQuery    = 2
MaxSortedTopRows   = {sorted_rows}

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}/vsp
ServerThreads        = 4
MaxClientConnections = 4
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = {row_limit}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = {time_limit}
"""


class VirtuosoServer(ServerProcess):
    """`virtuoso-t` on free ports of 127.0.0.1, with its database in `folder` (see the module's docstring);
    `GRANTS` are set once it answers."""

    name = "virtuoso-t"
    start_timeout = START_TIMEOUT
    stop_timeout = 20.0
    """SIGTERM (Virtuoso then shuts down), SIGKILL when it has not within 20 s."""

    def __init__(
        self,
        folder: Path,
        *,
        buffers: int = 20_000,
        time_limit: int = 60,
        row_limit: int = ROW_LIMIT,
        sorted_rows: int = ROW_LIMIT,
    ) -> None:
        super().__init__()
        self.folder = folder
        self.buffers = buffers
        self.time_limit = time_limit
        self.row_limit = row_limit
        self.sorted_rows = sorted_rows
        self.sql_port = free_port()
        self.http_port = free_port()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint anyone may write to (after `GRANTS`)."""
        return f"{self.base}/sparql-graph-crud"

    @property
    def auth_store_url(self) -> str:
        """The Graph Store Protocol endpoint that asks for HTTP Digest (`LOADER` may write there)."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def log(self) -> Path:
        return self.folder / "virtuoso.log"

    @property
    def probe_url(self) -> str:
        return f"{self.query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"

    def launch(self) -> subprocess.Popen[bytes]:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            config(
                self.folder,
                self.sql_port,
                self.http_port,
                buffers=self.buffers,
                time_limit=self.time_limit,
                row_limit=self.row_limit,
                sorted_rows=self.sorted_rows,
            ),
            "utf-8",
        )
        return subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def ready(self) -> None:
        for grant in GRANTS:
            self.sql(grant)

    def sql(self, statement: str) -> str:
        """Run one SQL statement as dba with isql-vt; its output (RuntimeError when it fails)."""
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r}: {(done.stdout + done.stderr).strip()[-500:]}")
        return done.stdout
