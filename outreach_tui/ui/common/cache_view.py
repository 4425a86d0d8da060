"""`CacheView`: keeps one screen or widget in step with the cache.

A view writes two functions: `read(db) -> snapshot` (runs on a worker thread with its own
read snapshot) and `apply(snapshot)` (runs on the UI thread), and owns a `CacheView`
built with them (a view that reads its own way, like the paged lists, gives one `load`
function instead: `CacheView.custom`). The view object does the rest, once for every
view:

- `start()` (from `on_mount`) subscribes to the backend's `changed` signal and reads;
- when the cache changes while the view's screen is shown, it reads again; a newer read
  replaces an older one still running, whose result is dropped;
- while its screen is hidden it only marks itself stale, and reads when the screen is
  shown again (the app's `screen_change_signal`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlite_utils import Database
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget

from outreach_tui.ui.backend import Backend

SnapshotT = TypeVar("SnapshotT")


class CacheView(Generic[SnapshotT]):
    """Reads `read(db)` for `node` and applies it whenever the cache changed."""

    def __init__(
        self,
        node: Widget,
        backend: Backend,
        read: Callable[[Database], SnapshotT],
        apply: Callable[[SnapshotT], object],
        *,
        what: str,
    ) -> None:
        self.node = node
        self.backend = backend
        self.what = what
        self.group = f"cache-view-{type(node).__name__}-{id(self)}"
        self.stale = False
        self.reads = 0  # reads started (tests count them)

        def load() -> None:
            backend.read(node, read, apply, group=self.group, what=what)

        self._load = load

    @classmethod
    def custom(cls, node: Widget, backend: Backend, load: Callable[[], None]) -> CacheView[None]:
        """A view that reads its own way: `load()` is called instead of a read + apply."""
        view: CacheView[None] = cls(node, backend, _nothing, _nothing, what="")
        view._load = load
        return view

    def start(self) -> None:
        """Subscribe to changes and read now (call from the node's `on_mount`)."""
        # Immediate: a node on a hidden screen processes no messages, so a posted callback
        # would wait there and run once per change when the screen comes back.
        self.backend.changed.subscribe(self.node, self._cache_changed, immediate=True)
        self.node.app.screen_change_signal.subscribe(self.node, self._screen_changed)
        self.reload()

    def reload(self) -> None:
        """Read now if the node's screen is shown, else read when it is shown again."""
        if not self._shown():
            self.stale = True
            return
        self.stale = False
        self.reads += 1
        self._load()

    def _cache_changed(self, _: None) -> None:
        self.reload()

    def _screen_changed(self, _screen: Screen[Any]) -> None:
        if self.stale:
            self.reload()

    def _shown(self) -> bool:
        # Not `Screen.is_current`: Textual counts the screen right under the top one as
        # current even when an opaque screen covers it. Shown means on top, or seen through
        # see-through screens above it (a modal dialog over the list).
        try:
            screen = self.node.screen
        except NoScreen:  # not mounted in a screen (yet, or any more)
            return False
        stack = self.node.app.screen_stack
        if screen not in stack:
            return False
        above = stack[stack.index(screen) + 1 :]
        return all(cover.styles.background.a < 1 for cover in above)


def _nothing(_: object) -> None:
    return None
