"""Running the application with uvicorn: `erasmus-kg serve`."""

from __future__ import annotations

import socket

from erasmus_kg.errors import UsageError, one_line
from erasmus_kg.web.config import ServeConfig


def serve(config: ServeConfig) -> None:
    """Serve `config` until interrupted. The address is checked before the store is opened, so that a port
    in use is one line, not a traceback after seconds of start-up."""
    import uvicorn

    from erasmus_kg.web.app import create_app

    _check_address(config.host, config.port)
    app = create_app(config)
    print(f"erasmus-kg: serving on {address(config)} (Ctrl+C stops)", flush=True)
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


def address(config: ServeConfig) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    return f"http://{host}:{config.port}/"


def _check_address(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            raise UsageError(f"cannot listen on {host}:{port} ({one_line(e)})") from None
