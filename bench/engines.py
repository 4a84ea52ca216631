"""Start real SPARQL engines on 127.0.0.1 at free ports, each with its own data directory.

Used by the backend tests (``tests/backends/``) and by the benchmark runner (``bench/run.py``). Nothing here
touches a system-wide service: Virtuoso gets its own ini file and database directory.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

#: The built-in administrator of a freshly created Virtuoso database (only ever bound to 127.0.0.1).
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_command() -> str | None:
    """The ``oxigraph`` server program: next to this Python (the venv) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def virtuoso_command() -> str | None:
    return shutil.which("virtuoso-t")


class Engine:
    """A running engine process: ``query_url``, and ``stop()``."""

    name = "engine"

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / f"{self.name}.log"
        self.query_url = ""

    def _wait(self, url: str, timeout: float, ok=lambda r: r.status_code < 500) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                if ok(requests.get(url, params={"query": "ASK {}"}, timeout=2)):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def store_kwargs(self) -> dict:
        """Keyword arguments of :class:`helsegraf.store.remote.RemoteStore` for this engine."""
        return {}


class OxigraphServer(Engine):
    """``oxigraph serve`` on a directory (the union default graph comes per request from helsegraf)."""

    name = "oxigraph"

    def __init__(self, workdir: Path, union_default_graph: bool = False):
        super().__init__(workdir)
        self.union_default_graph = union_default_graph

    def start(self, timeout: float = 60) -> OxigraphServer:
        command = oxigraph_command()
        if not command:
            raise FileNotFoundError("oxigraph (pip install oxigraph)")
        port = free_port()
        args = [command, "serve", "--location", str(self.workdir / "data"), "--bind", f"127.0.0.1:{port}"]
        if self.union_default_graph:
            args.append("--union-default-graph")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.base_url = f"http://127.0.0.1:{port}"
        self.query_url = self.base_url + "/query"
        self._wait(self.query_url, timeout)
        return self

    def store_kwargs(self) -> dict:
        return {"engine": "oxigraph"}


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 32
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., {db}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir            = /usr/share/virtuoso-opensource-7/vad/
MaxQueryMem              = {query_mem}
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 32
ServerThreads               = 32
MaxKeepAlives               = 32
KeepAliveTimeout            = 10
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
; helsegraf streams results of any size (a 1M-row CSV export is a benchmark): no row cap, no time cap
; (helsegraf's own query timeout applies), no cost-estimate refusal.
ResultSetMaxRows           = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
DefaultGraph               =
"""


class VirtuosoServer(Engine):
    """``virtuoso-t`` in the foreground with its own ini file, database directory and free ports."""

    name = "virtuoso"

    def __init__(self, workdir: Path, buffers: int = 20000):
        super().__init__(workdir)
        self.buffers = buffers

    def start(self, timeout: float = 180) -> VirtuosoServer:
        command = virtuoso_command()
        if not command:
            raise FileNotFoundError("virtuoso-t (apt-get install virtuoso-opensource)")
        db = self.workdir / "db"
        db.mkdir(exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        ini = self.workdir / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port, buffers=self.buffers,
                                           dirty=self.buffers * 3 // 4,
                                           query_mem="2G" if self.buffers > 50000 else "500M"))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen([command, "+foreground", "+configfile", str(ini)], cwd=db,
                                            stdout=log, stderr=subprocess.STDOUT)
        self.base_url = f"http://127.0.0.1:{http_port}"
        self.query_url = self.base_url + "/sparql"
        self.sql_port = sql_port
        self._wait(self.query_url, timeout, ok=lambda r: r.status_code == 200)
        return self

    def store_kwargs(self) -> dict:
        return {"engine": "virtuoso", "user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD}


def start_engine(name: str, workdir: Path, **options) -> Engine:
    """Start ``oxigraph`` or ``virtuoso`` in ``workdir``."""
    engines = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}
    return engines[name](workdir, **options).start()


if __name__ == "__main__":  # manual check: python bench/engines.py virtuoso /tmp/v
    engine = start_engine(sys.argv[1], Path(sys.argv[2]))
    print(engine.query_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        engine.stop()
    os._exit(0)
