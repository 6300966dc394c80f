"""Components that register their own Dash callbacks when imported: saving and removing targets
and analyses, the form helpers those callbacks share, and the download bar (CSV, Excel, PNG).
Everything else under components/ only builds layout or figures from what it is given."""
