"""Pure logic with no I/O and no UI: labels, merge tags, HTML to text, schedule grid, A/B stats.

Nothing here imports textual or another outreach_tui package; the UI, the CLI and the sync
engine build on it.

- ``sanitize``: the one function family every widget's text goes through (escape sequences,
  controls, bidi overrides, length caps).
- ``html_text`` (+ ``quoted``, ``links``): email bodies as inert markdown, quoted history
  split off, links with their real targets and a ``deceptive`` flag.
- ``html_tokens`` / ``html_parse``: a linear tokenizer that untrusted HTML goes through
  before ``html.parser`` (which is quadratic on some hostile markup), then BeautifulSoup.
- ``html_allowlist``: tags of a variant body the server would unwrap.
- ``mergetags`` (+ ``mergetag_grammar``): the server's merge-tag grammar, rendering per lead.
- ``labels``: the 11 conversation labels, names, colour roles, picker keys.
- ``schedule``: supported time zones, the 30-minute grid, effective day windows.
- ``abstats``: Wilson intervals, two-proportion z-test, per-step A/B verdict.
- ``warmup``: inbox-health warnings and health bands.
- ``filenames``: attachment names made safe inside one folder.
- ``timefmt``: relative times for lists; ``text_position``: offsets <-> (line, column).
- ``plain_html``: text the user typed -> escaped HTML for replies.
"""
