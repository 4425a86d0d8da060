"""`outreach-tui serve`: the TUI in a browser tab, behind a random token.

The browser gets a terminal (xterm.js, the page and scripts that ship with textual-serve);
each websocket session runs the app as its own `python -m outreach_tui` process, speaking
Textual's web-driver protocol over the process's stdin and stdout. This package never
imports the app, the store or the API client: a session is a subprocess, so a browser tab
behaves exactly like a terminal running `outreach-tui`.

    access.py       the token: who may load the page and open a session
    app_process.py  one app subprocess and the web-driver protocol
    page.py         the HTML page that hosts the terminal
    server.py       the aiohttp application, the session cap, start and clean stop
"""
