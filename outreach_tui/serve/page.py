"""The HTML page that hosts the terminal: textual-serve's page, made self-contained.

textual-serve's own template loads a font from fonts.googleapis.com and bakes the
websocket's absolute URL in; this page differs where a served console needs it to:

- the font comes from the bundled static files: nothing is fetched from another site
  (a manager's console does not tell a third party when it is open, and works offline);
- the token leaves the address bar as soon as the page has loaded (the cookie carries on),
  so it is not left on screen, in a screenshot or a bookmark;
- the websocket URL follows the page's own address (`wss:` behind a TLS proxy);
- when the server closes a session with a reason ("too many sessions"), the page shows it.
"""

from __future__ import annotations

import html

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # textual.js is one bundle served from here; the two inline scripts below are ours.
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)

_PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>{title}</title>
    <script>
      // The token is in the cookie now: take it out of the address bar and history.
      (function () {{
        const url = new URL(window.location.href);
        if (url.searchParams.has("token")) {{
          url.searchParams.delete("token");
          window.history.replaceState(null, "", url.pathname + url.search + url.hash);
        }}
      }})();
      // Show why the server closed the session (the close frame's reason), if it said.
      (function () {{
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {{
          constructor(...args) {{
            super(...args);
            this.addEventListener("close", (event) => {{
              const message = document.querySelector(".closed-dialog .message");
              if (message && event.reason) message.textContent = event.reason;
            }});
          }}
        }};
      }})();
    </script>
    <link rel="stylesheet" href="/static/css/xterm.css" />
    <script src="/static/js/textual.js"></script>
    <style>
      @font-face {{
        font-family: "Roboto Mono";
        src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }}
      @font-face {{
        font-family: "Roboto Mono";
        src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }}
      body {{ background: #0c181f; margin: 0; }}
      .dialog-container {{
        position: absolute; width: 100vw; height: 100vh; display: flex;
        align-items: center; justify-content: center; z-index: 10;
      }}
      .shade {{ position: absolute; width: 100%; height: 100%; background: #0c181f; }}
      .intro {{
        width: 640px; min-height: 200px; font-size: 16px; z-index: 20; padding: 16px;
        font-family: "Roboto Mono", menlo, monospace; text-align: center;
        color: rgba(255, 255, 255, 0.95); background-color: #12232d;
        display: flex; flex-direction: column; align-items: center; justify-content: center;
      }}
      body.-first-byte .intro-dialog {{ display: none; }}
      body .textual-terminal {{ opacity: 0; transition: opacity 0.3s ease-out; }}
      body.-first-byte .textual-terminal {{ opacity: 1; }}
      button {{
        padding: 16px 32px; margin: 16px; border: none; cursor: pointer;
        background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95);
        font-family: "Roboto Mono", menlo, monospace;
      }}
      button:hover {{ background: #ac5af4; }}
      .closed-dialog {{ display: none; }}
      body.-closed .closed-dialog {{ display: flex; }}
      #start {{ display: none; }}
      #start.-delay {{ display: flex; }}
    </style>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="shade"></div>
      <div class="intro"><div>{title}</div>
        <button type="button" onclick="window.location.reload()" id="start">Start</button>
      </div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div class="message">Session ended.</div>
        <button type="button" onclick="window.location.reload()">Start a new session</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
    <script>
      // textual.js reads this on load; the page's own address gives ws: or wss:.
      document.getElementById("terminal").dataset.sessionWebsocketUrl =
        (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + "/ws";
    </script>
  </body>
</html>
"""


def render_page(title: str, font_size: int = 16) -> str:
    """The page for one browser tab; `title` is escaped (a profile name is user text)."""
    return _PAGE.format(title=html.escape(title), font_size=int(font_size))
