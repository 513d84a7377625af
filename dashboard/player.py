"""Play, pause, step: one tab's play loop, in a thread of its own.

The loop separates weeks from frames. Weeks run at the chosen speed (weeks per second);
a frame (every chart in view redrawn) is drawn at most every FRAME_INTERVAL seconds and
shows the latest week. Drawing every week would tie the speed to the cost of the charts;
this way a slow chart lowers the frame rate, not the speed of the run. A run stops at
the scenario's length (the model's `last_week`) unless the user extends it.

Widgets are updated from this thread inside the tab's kernel context, which is how they
reach the tab's browser.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

log = logging.getLogger(__name__)

FRAME_INTERVAL = 0.2  # seconds between frames while playing
SPEEDS = (1, 2, 5, 10, 20, 50, 0)  # weeks per second; 0: as fast as the machine goes
DEFAULT_SPEED = 10


def speed_label(speed: int) -> str:
    return "fastest" if speed == 0 else f"{speed} weeks/s"


class Player:
    """One tab's play loop over whichever model the tab shows."""

    def __init__(self):
        self.speed = DEFAULT_SPEED
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def play(self, model, on_stopped: Callable[[], None], context=None) -> None:
        if self.playing or model.at_end() or model.error is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(model, on_stopped, context), daemon=True,
                                        name="anomie-play")
        self._thread.start()

    def pause(self) -> None:
        """Stop playing; the week under way finishes (as in NetLogo) and its frame is drawn."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None

    def step(self, model) -> None:
        """One week and its frame (pauses first if playing)."""
        self.pause()
        if not model.at_end():
            model.week()
        model.redraw()

    def _run(self, model, on_stopped, context) -> None:
        if context is not None:
            with context:
                self._loop(model, on_stopped)
        else:
            self._loop(model, on_stopped)

    def _loop(self, model, on_stopped) -> None:
        try:
            start, done, last_frame = time.monotonic(), 0, 0.0
            while not self._stop.is_set() and not model.at_end() and model.error is None:
                speed = self.speed
                if speed:
                    due = int((time.monotonic() - start) * speed) + 1
                    if due - done > speed:  # fell behind (a slow frame): do not race to catch up
                        start = time.monotonic() - done / speed
                        due = done + 1
                else:
                    due = done + 1
                while done < due and not model.at_end() and not self._stop.is_set():
                    if not model.week():
                        break
                    done += 1
                    if time.monotonic() - last_frame >= FRAME_INTERVAL:
                        break
                now = time.monotonic()
                if now - last_frame >= FRAME_INTERVAL:
                    model.redraw()
                    last_frame = time.monotonic()
                if speed:
                    wait = start + done / speed - time.monotonic()
                    if wait > 0:
                        self._stop.wait(wait)
            model.redraw()
        except Exception:  # noqa: BLE001 - a failed frame must not leave the tab stuck in "playing"
            log.exception("play loop failed")
        finally:
            on_stopped()
