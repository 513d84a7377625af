"""The outside probe's attacks on the dashboard server (issue 15, faults 1 and 7).

One GET must not delete the offline assets nor make the server fetch; nothing tells a
visitor about the host; beyond 127.0.0.1 the server asks for a token and limits sessions
and citizens. One real server (with a small copy of the asset cache) serves the HTTP
checks; the guard and the citizen budget are also driven directly, without a server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from anomie.dashboard.launch import running_server_process

TOKEN = "a-long-test-token"
ASSETS = Path(__import__("sys").prefix) / "share" / "solara" / "cdn"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cdn")
    shutil.copytree(ASSETS / "requirejs@2.3.6", cache / "requirejs@2.3.6")
    dist = cache / "@widgetti" / "some-app@1.0.0" / "dist"
    dist.mkdir(parents=True)
    (dist / "app.js").write_text("// an offline asset\n")
    with running_server_process(args=("--token", TOKEN), env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache)}) as (url, _):
        yield url, cache


def get(url: str, timeout: float = 30, token: bool = True) -> tuple[int, bytes, list[str]]:
    """Status, body and Set-Cookie headers of a GET (with the token's cookie unless token=False)."""
    headers = {"Cookie": f"anomie_token={TOKEN}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as r:
            return r.status, r.read(), r.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as e:
        return e.code, e.read(), []


def test_a_get_on_an_asset_folder_deletes_nothing_and_fetches_nothing(server):
    url, cache = server
    status, _, _ = get(url + "_solara/cdn/@widgetti/some-app@1.0.0/dist", timeout=5)
    assert status == 404
    assert (cache / "@widgetti" / "some-app@1.0.0" / "dist" / "app.js").is_file(), "the GET deleted the offline assets"
    status, body, _ = get(url + "_solara/cdn/@widgetti/some-app@1.0.0/dist/app.js")
    assert status == 200 and b"offline asset" in body
    status, body, _ = get(url + "_solara/cdn/requirejs@2.3.6/require.js")
    assert status == 200 and body == (ASSETS / "requirejs@2.3.6" / "require.js").read_bytes()


def test_a_missing_asset_is_a_404_not_a_download(server):
    url, cache = server
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    for path in ("_solara/cdn/left-pad@1.3.0/index.js", "_solara/cdn/..%2F..%2Fetc/passwd", "_solara/cdn/requirejs@2.3.6/../../x"):
        status, _, _ = get(url + path, timeout=5)
        assert status == 404, path
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before


def test_no_diagnostic_route_is_served(server):
    url, _ = server
    for path in ("resourcez", "resourcez?verbose=1", f"resourcez?token={TOKEN}"):
        status, body, _ = get(url + path)
        assert status == 404 and b"cpu" not in body.lower(), path


def test_the_page_needs_the_token_and_the_token_becomes_a_cookie(server):
    url, _ = server
    status, body, _ = get(url, token=False)
    assert status == 401 and b"token" in body
    assert get(url + "_solara/cdn/requirejs@2.3.6/require.js", token=False)[0] == 401
    status, _, _ = get(url + "?token=wrong-token-000", token=False)
    assert status == 401
    status, _, cookies = get(url + f"?token={TOKEN}", token=False)
    assert status == 200
    assert any(c.startswith(f"anomie_token={TOKEN};") and "HttpOnly" in c for c in cookies), cookies
    assert get(url)[0] == 200  # the cookie alone


def test_sharing_beyond_this_machine_requires_a_token_and_sets_limits():
    from anomie.dashboard.serve import limits_for

    shared = limits_for("0.0.0.0", None, None, None)
    assert shared.token and len(shared.token) >= 16
    assert shared.max_sessions and shared.max_citizens
    assert limits_for("0.0.0.0", None, None, None).token != shared.token  # made up afresh
    assert limits_for("::", "given-token", 3, 1000) == type(shared)("given-token", 3, 1000)
    local = limits_for("127.0.0.1", None, None, None)
    assert local.token is None and local.max_sessions is None


def asgi_call(app, path: str, query: bytes = b"", kind: str = "http") -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": kind, "path": path, "query_string": query, "headers": []}
    # in a thread of its own: another test in this process may have left an event loop running
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


def test_a_tab_beyond_the_session_limit_is_refused_with_a_message(monkeypatch):
    import anomie.dashboard.serve as serve
    reached = []

    async def page(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"page"})

    guard = serve.Guard(page, serve.Limits(None, 2, None))
    monkeypatch.setattr(serve, "live_sessions", lambda: 1)
    assert asgi_call(guard, "/")[0]["status"] == 200
    monkeypatch.setattr(serve, "live_sessions", lambda: 2)
    refused = asgi_call(guard, "/")
    assert refused[0]["status"] == 503 and b"full" in refused[1]["body"]
    assert asgi_call(guard, "/_solara/cdn/requirejs@2.3.6/require.js")[0]["status"] == 200  # open tabs still load
    closed = asgi_call(serve.Guard(page, serve.Limits(TOKEN, None, None)), "/jupyter/api/kernels/x/channels", kind="websocket")
    assert closed[0]["type"] == "websocket.close"
    assert reached == ["/", "/_solara/cdn/requirejs@2.3.6/require.js"]


@pytest.mark.slow
def test_citizens_across_sessions_are_limited_with_a_message():
    from anomie.dashboard.serve import CitizenBudget, install_citizen_budget
    from anomie.dashboard.session import DashboardModel, RunSettings, build_model
    from anomie.scenarios.schema import InputError

    original = DashboardModel.__init__
    try:
        install_citizen_budget(CitizenBudget(250))
        first = build_model(RunSettings(overrides={"n_citizens": 200}))
        with pytest.raises(InputError, match="250 citizens across all open sessions"):
            build_model(RunSettings(overrides={"n_citizens": 100}))
        del first
        import gc

        gc.collect()
        assert build_model(RunSettings(overrides={"n_citizens": 100})).citizens.n == 100  # freed with the first
    finally:
        DashboardModel.__init__ = original


@pytest.mark.e2e
def test_with_a_token_the_page_loads_offline_and_its_websocket_is_let_in(tmp_path):
    """The token comes in the address once; the page, its assets and its websocket then pass on the cookie."""
    import os

    from playwright.sync_api import sync_playwright

    from anomie.dashboard.launch import CHROMIUM, block_external, launch_chromium

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    def drive() -> None:
        with running_server_process(args=("--token", TOKEN)) as (url, _), sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                page = browser.new_page()
                external = block_external(page)
                page.goto(url + f"?token={TOKEN}")
                page.wait_for_function("document.querySelector('.week-counter')?.innerText.trim() === 'Week 0'",
                                       timeout=60_000)
                assert external == []
                stranger = browser.new_page()
                response = stranger.goto(url)
                assert response.status == 401
            finally:
                browser.close()

    # in a thread of its own: the browser tests' Playwright may be running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(drive).result()
