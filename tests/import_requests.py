"""The upload page's two callbacks posted by hand, as the browser posts them: preview the files,
then confirm the staged token. Callers assert on the responses themselves."""

import requests
from dash_requests import DashClient, upload_contents

from dashboard.ids import Importera

CHOICES = {
    f"{Importera.FORMAT}.value": "auto",
    f"{Importera.INDICATOR}.value": "auto",
    f"{Importera.ADD_KOLADA}.value": False,
}


def post_preview(
    client: DashClient, files: dict[str, bytes], old_token: str | None = None
) -> requests.Response:
    return client.call(
        Importera.PREVIEW,
        {
            f"{Importera.UPLOAD}.contents": [upload_contents(c) for c in files.values()],
            f"{Importera.UPLOAD}.filename": list(files),
            **CHOICES,
            f"{Importera.TOKEN}.data": old_token,
        },
        f"{Importera.UPLOAD}.contents",
    )


def post_confirm(
    client: DashClient, token: str, *, ticked: bool = False, confirmation: str | None = None
) -> requests.Response:
    """The save button's post; `ticked` and `confirmation` are the box confirming changes to
    published values and the digest the preview sent with them."""
    return client.call(
        Importera.OUTCOME,
        {
            f"{Importera.CONFIRM}.n_clicks": 1,
            f"{Importera.TOKEN}.data": token,
            **CHOICES,
            f"{Importera.CONFIRM_CHANGES}.value": ticked,
            f"{Importera.CONFIRMATION}.data": confirmation,
        },
        f"{Importera.CONFIRM}.n_clicks",
    )
