"""One store state for the Inrapportering tests: a production install (catalogue and areas, no
Exempeldata) with one real import of a period, so every state of the matrix occurs.

SIP upplevd delaktighet (the kommuner deliver it, due 31 mars året efter, measured per kommun
only): Aneby delivers a value, Gnosjö one resting on 3 people (hidden by the suppression),
Mullsjö a value its source marked sekretess, Habo a value of 0 of 40 (shown: 0 is not small);
the other nine kommuner nothing. Bra självskattat hälsotillstånd (U01405, Kolada, no due
date): Aneby and the county. The county of a kommun-only measure, the kommuner of a region-only
one (U70445) and a series that ended (U21401 from 2025) are not expected."""

from import_samples import template_csv

from indicators.imports.pipeline import save
from indicators.imports.records import UploadedFile
from indicators.store.store import Store

SIP = "RJL-SIP-DELAKTIGHET"
HEALTH = "U01405"
DELIVERED = {"0604", "0617", "0642", "0643"}  # Aneby, Gnosjö, Mullsjö, Habo
HIDDEN_VALUE = "7,5"  # Gnosjö's value, resting on 3 people: hidden everywhere


def deliver(store: Store, year: int) -> int:
    """Import the period `year`; returns the batch id."""
    rows = [
        f"{SIP};0604;{year};T;80;40;50;",
        f"{SIP};0617;{year};T;7,5;3;40;",
        f"{SIP};0642;{year};T;;;;sekretess",
        f"{SIP};0643;{year};T;0;0;40;",
        f"{HEALTH};0604;{year};T;70,5;705;1000;",
        f"{HEALTH};0006;{year};T;71,2;7120;10000;",
    ]
    result = save(store, [UploadedFile("inrapportering.csv", template_csv(*rows))], user="Test")
    batch = result.files[0].batch_id
    assert batch is not None, result.to_json()
    return batch
