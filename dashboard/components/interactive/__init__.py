"""Components that register their own Dash callbacks when imported (saving and removing targets
and analyses, and the form helpers those callbacks share). Everything else under components/
only builds layout or figures from what it is given."""
