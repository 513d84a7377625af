"""Serve the dashboard with Solara's server, offline, on 127.0.0.1 unless told otherwise.

Solara reads its settings from the environment when it is first imported, so they are
set here before any import of solara.server:

- the JavaScript it would fetch from a CDN is served from the copy that the pinned
  `solara-assets` package installs (a known trap), and the CDN proxy never
  fetches: a missing file is an error, not a download;
- no telemetry and no version check leave the machine;
- a closed tab's kernel is culled after a minute, so a model left playing stops.

`python -m dashboard.serve --port 8765` does the same as `anomie dashboard`.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import warnings
import webbrowser

APP = "dashboard.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

OFFLINE_ENV = {
    "SOLARA_APP": APP,
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",  # serve /_solara/cdn/ from the local cache that solara-assets fills
    "SOLARA_CHECK_HOOKS": "off",
    # a closed tab's kernel (and a model it left playing) is dropped after a minute, not 24 h
    "SOLARA_KERNEL_CULL_TIMEOUT": "60s",
    "MPLBACKEND": "Agg",
}


def configure_environment(host: str, port: int) -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ["SOLARA_APP"] = APP
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)


def make_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
    """A uvicorn server running Solara's starlette app with the dashboard as its page."""
    configure_environment(host, port)
    # Solara warns on every page load that plain http cannot set a samesite=none cookie and
    # falls back to lax, which is right for a local server; keep the terminal readable
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    import solara.server.starlette  # noqa: F401 - imported after the environment is set

    # no per-message deflate: every frame carries PNGs, which are compressed already, and
    # deflating them again cost the server CPU on every frame for nothing
    config = uvicorn.Config("solara.server.starlette:app", host=host, port=port, log_level="warning",
                            ws_max_size=16 * 1024 * 1024, ws_per_message_deflate=False)
    return uvicorn.Server(config)


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> None:
    """Run the dashboard until interrupted (called by `anomie dashboard`)."""
    from model.run import load_kernels

    # the model's compiled loops are built once per machine (about 6 s) and loaded once per
    # process: do it before the first page asks for a model, not while a lecturer waits
    print("Loading the model (compiling it, the first time on this machine) ...", flush=True)
    load_kernels()
    server = make_server(host, port)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    print(f"Anomie dashboard on {url} (Ctrl+C to stop)", flush=True)
    if open_browser:
        def open_when_up():
            while not server.started:
                time.sleep(0.1)
            webbrowser.open(url)

        threading.Thread(target=open_when_up, daemon=True).start()
    server.run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the anomie dashboard.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--open", action="store_true", help="open a browser tab")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.open)


if __name__ == "__main__":
    main()
