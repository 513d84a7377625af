"""Each component test runs in its own Solara kernel context.

Solara keeps reactive state (Mesa's `update_counter` among it) per kernel; without a fresh
context per test that state would leak from one test into the next (a known trap).
"""

from __future__ import annotations

import pytest
import solara.server.app  # noqa: F401 - patches ipywidgets so that widgets live in a kernel context
from solara.server import kernel, kernel_context


def new_context(name: str) -> kernel_context.VirtualKernelContext:
    return kernel_context.VirtualKernelContext(id=name, kernel=kernel.Kernel(), session_id=f"session-{name}")


@pytest.fixture
def kernel_ctx(request):
    context = new_context(request.node.name)
    try:
        with context:
            yield context
    finally:
        with context:  # closing its widgets needs the context to be current
            context.close()


@pytest.fixture
def make_context():
    """Extra kernel contexts, as separate browser tabs would have; closed after the test."""
    made = []

    def make(name: str):
        context = new_context(name)
        made.append(context)
        return context

    yield make
    for context in made:
        with context:
            context.close()
