"""Serve the dashboard with Solara's server, offline, on 127.0.0.1 unless told otherwise.

Solara reads its settings from the environment when it is first imported, so they are
set here before any import of solara.server:

- the JavaScript it would fetch from a CDN is served, read-only, from the copy that the
  pinned `solara-assets` package installs (a known trap). Solara's own asset
  proxy is taken out: on a GET it could delete a cached folder and fetch from the CDN.
  Here a missing file is a 404, never a download or a write;
- no telemetry and no version check leave the machine;
- a closed tab's kernel is culled after a minute, so a model left playing stops;
- no diagnostic route (/resourcez: host CPU and memory) is served.

Shared beyond this machine (`--host 0.0.0.0`), the dashboard asks for an access token
(given, or made up and printed at start; the printed address carries it, and the browser
keeps it in a cookie), and limits the sessions and the citizens of all sessions together,
with a message when a new tab or a larger model is refused.

`python -m dashboard.serve --port 8765` does the same as `anomie dashboard`.
"""

from __future__ import annotations


import argparse
import importlib
import ipaddress
import os
import secrets
import threading
import time
import warnings
import weakref
import webbrowser
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

APP = "anomie.dashboard.app"
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


TOKEN_COOKIE = "anomie_token"
CDN_PATH = "/_solara/cdn/"
# Routes that tell a visitor about the host (CPU, memory, kernels) rather than serve the page.
DIAGNOSTIC_ROUTES = ("/resourcez",)
DEFAULT_MAX_SESSIONS = 8


@dataclass(frozen=True)
class Limits:
    """What a shared dashboard allows: None means no limit (the default on 127.0.0.1)."""

    token: str | None = None
    max_sessions: int | None = None
    max_citizens: int | None = None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_max_citizens() -> int:
    """Twice the largest population of the parameter table: one full-size run and its comparison."""
    from anomie.experiments.budgets import largest_population

    return 2 * largest_population()


def limits_for(host: str, token: str | None, max_sessions: int | None, max_citizens: int | None) -> Limits:
    """Loopback: no token and no limits unless asked for. Any other address: a token (made if not given) and limits."""
    if is_loopback(host):
        return Limits(token, max_sessions, max_citizens)
    return Limits(token or secrets.token_urlsafe(18), max_sessions or DEFAULT_MAX_SESSIONS,
                  max_citizens or default_max_citizens())


# -- read-only assets ------------------------------------------------------------------------
def asset_root() -> Path:
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir).resolve()


def asset_file(root: Path, rel: str) -> Path | None:
    """The installed asset a /_solara/cdn/ path names, or None: never outside `root`, never a folder."""
    # Solara asks for a bare package (one path part) by its main script
    if "/" not in rel.strip("/"):
        rel = rel.strip("/") + "/__main.js"
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def cdn_endpoint(root: Path):
    from starlette.responses import FileResponse, PlainTextResponse

    async def cdn(request):
        path = asset_file(root, request.path_params["path"])
        if path is None:
            return PlainTextResponse("not found (the dashboard serves only its installed assets)", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, immutable"})

    return cdn


def harden_routes(app) -> None:
    """Replace Solara's asset proxy by a read-only route and drop the diagnostic routes, in place."""
    from starlette.routing import Mount, Route

    root = asset_root()
    keep = [r for r in app.router.routes
            if not (isinstance(r, Mount) and r.path.rstrip("/") == CDN_PATH.rstrip("/"))
            and getattr(r, "path", None) not in DIAGNOSTIC_ROUTES]
    app.router.routes[:] = [Route(CDN_PATH + "{path:path}", endpoint=cdn_endpoint(root), methods=["GET", "HEAD"]), *keep]


# -- access token and session limit ----------------------------------------------------------
def live_sessions() -> int:
    from solara.server import kernel_context

    return len(kernel_context.contexts)


def _is_page(path: str) -> bool:
    """A request that opens a new tab (not an asset, a websocket or an API call)."""
    return not path.startswith(("/_solara", "/static", "/jupyter", "/readyz"))


class Guard:
    """ASGI middleware: diagnostic routes, the access token and the session limit."""

    def __init__(self, app, limits: Limits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path in DIAGNOSTIC_ROUTES:
            return await refuse(scope, send, 404, "not found")
        given = None
        token = self.limits.token
        if token is not None and path != "/readyz":  # "ok" tells nothing; launchers poll it
            query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
            cookie = _cookie(scope, TOKEN_COOKIE)
            given = query or cookie
            if given is None or not secrets.compare_digest(given.encode(), token.encode()):
                return await refuse(scope, send, 401, "This dashboard needs its access token: open the address "
                                    "printed where it was started (it ends in ?token=...).")
            if query is None:
                given = None  # the cookie is set already
        limit = self.limits.max_sessions
        if scope["type"] == "http" and limit is not None and _is_page(path) and live_sessions() >= limit:
            return await refuse(scope, send, 503, f"The dashboard is full: {limit} sessions are open, the most this "
                                "server allows. Try again when someone closes a tab (a closed tab is freed within a minute).")
        if given is not None and scope["type"] == "http":
            send = _with_cookie(send, given)
        return await self.app(scope, receive, send)


def _cookie(scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is no token
                return None
            if name in jar:
                return jar[name].value
    return None


def _with_cookie(send, token: str):
    async def sending(message):
        if message["type"] == "http.response.start":
            cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
        await send(message)

    return sending


async def refuse(scope, send, status: int, text: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": text[:120]})
        return
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# -- citizens of all sessions together -------------------------------------------------------
class CitizenBudget:
    """The citizens of every live dashboard model together, kept under a limit.

    A model asks before it is built; the models are held weakly, so a session's citizens
    are free again once its kernel is culled and its model collected.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.models: weakref.WeakSet = weakref.WeakSet()
        self.lock = threading.Lock()

    def in_use(self) -> int:
        total = 0
        for m in list(self.models):
            total += m.citizens.n if hasattr(m, "citizens") else 0
            other = getattr(m, "counterpart", None)
            total += other.citizens.n if other is not None and hasattr(other, "citizens") else 0
        return total

    def admit(self, model, wanted: int, degree: float | None = None) -> None:
        """Count `model` in, or refuse it with a message if its citizens (or their memory) do not fit."""
        from anomie.experiments.budgets import PROCESS_OVERHEAD, available_memory, run_bytes
        from anomie.scenarios.schema import InputError

        with self.lock:
            used = self.in_use()
            if used + wanted > self.limit:
                raise InputError(f"this shared dashboard allows {self.limit:,} citizens across all open sessions; "
                                 f"{used:,} are in use and this run needs {wanted:,}: choose fewer citizens, "
                                 "or try again when another session closes")
            need, free = run_bytes(wanted, degree) - PROCESS_OVERHEAD, available_memory()
            if free is not None and need > free:
                raise InputError(f"this run needs about {need / 1e9:.1f} GB and the server has {free / 1e9:.1f} GB free: "
                                 "choose fewer citizens or fewer ties")
            self.models.add(model)


def wanted_citizens(settings) -> tuple[int, float | None]:
    """The citizens a dashboard run would hold (its population after its shocks, twice if compared) and their ties each."""
    from anomie.experiments.budgets import DEGREE, POPULATION, citizens_after_shocks

    scenario = settings.scenario()
    values = settings.values()
    n = citizens_after_shocks(scenario, scenario.steps, n_initial=values[POPULATION])
    return n * (2 if settings.compare_with else 1), values.get(DEGREE)


def install_citizen_budget(budget: CitizenBudget) -> None:
    """Make every dashboard model ask the budget before it is built (in this server process)."""
    from anomie.dashboard.session import DashboardModel

    build = DashboardModel.__init__
    if getattr(build, "budget", None) is not None:
        build = build.unguarded

    def guarded(self, settings, *args, **kwargs):
        budget.admit(self, *wanted_citizens(settings))
        build(self, settings, *args, **kwargs)

    guarded.budget, guarded.unguarded = budget, build
    DashboardModel.__init__ = guarded


def make_app(limits: Limits):
    """Solara's starlette app with read-only assets and no diagnostic routes, behind the guard."""
    import solara.server.starlette as solara_app  # imported after the environment is set

    harden_routes(solara_app.app)
    if limits.max_citizens is not None:
        install_citizen_budget(CitizenBudget(limits.max_citizens))
    return Guard(solara_app.app, limits)


def make_server(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, limits: Limits | None = None):
    """A uvicorn server running the guarded Solara app with the dashboard as its page."""
    configure_environment(host, port)
    # Solara warns on every page load that plain http cannot set a samesite=none cookie and
    # falls back to lax, which is right for a local server; keep the terminal readable
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import uvicorn

    app = make_app(limits or Limits())
    # no per-message deflate: every frame carries PNGs, which are compressed already, and
    # deflating them again cost the server CPU on every frame for nothing
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            ws_max_size=16 * 1024 * 1024, ws_per_message_deflate=False)
    return uvicorn.Server(config)


def _prepare_page(load_kernels) -> None:
    """Import the page's module (matplotlib, the model) and load the compiled loops, while the
    server starts: the first request then finds both ready (the import lock and numba's
    compiler lock make an earlier request wait rather than repeat the work)."""
    importlib.import_module(APP)
    load_kernels()


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False, token: str | None = None,
          max_sessions: int | None = None, max_citizens: int | None = None) -> None:
    """Run the dashboard until interrupted (called by `anomie dashboard`)."""
    from anomie.scenarios.run import load_kernels

    limits = limits_for(host, token, max_sessions, max_citizens)
    # the model's compiled loops are built once per machine and loaded once per process:
    # load them in the background while the server starts and the browser fetches the page,
    # so that the first model the page asks for finds them ready (numba's compiler lock makes
    # a page that asks sooner wait for the loading instead of repeating it)
    print("Loading the model in the background (compiling it, the first time on this machine) ...", flush=True)
    threading.Thread(target=_prepare_page, args=(load_kernels,), name="prepare-page", daemon=True).start()
    server = make_server(host, port, limits)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if limits.token is not None:
        url += f"?token={limits.token}"
    print(f"Anomie dashboard on {url} (Ctrl+C to stop)", flush=True)
    if limits.max_sessions is not None or limits.max_citizens is not None:
        sessions = "any number of" if limits.max_sessions is None else str(limits.max_sessions)
        citizens = "any number of" if limits.max_citizens is None else f"{limits.max_citizens:,}"
        print(f"Shared: at most {sessions} sessions and {citizens} citizens across them. Others open this "
              "machine's network address with the same port and ?token=...", flush=True)
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
    parser.add_argument("--token", default=None, help="access token (required beyond 127.0.0.1; made up if not given)")
    parser.add_argument("--max-sessions", type=int, default=None)
    parser.add_argument("--max-citizens", type=int, default=None)
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.open, args.token, args.max_sessions, args.max_citizens)


if __name__ == "__main__":
    main()
