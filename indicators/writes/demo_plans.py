"""Exempeldata's handlingsplaner: a few invented activities per strategigrupp, tied to real
catalogue indicators, so the plan, its trends and the yearly follow-up can be seen working.
Written with the demo seed and marked is_demo; every page shows the Exempeldata mark with them."""

from datetime import date

from indicators.reads.models import ActivityFields
from indicators.vocabulary.domain import ActivityStatus

DEMO_PLANS: dict[str, list[ActivityFields]] = {
    "barn-och-unga": [
        ActivityFields(
            title="Gemensam väg in för barn med psykisk ohälsa",
            owner="Region Jönköpings län, BUP, med elevhälsan i länets kommuner",
            start_date=date(2022, 9, 1),
            end_date=date(2025, 6, 30),
            status=ActivityStatus.KLAR,
            description="En gemensam bedömning vid första kontakt, så att barnet får rätt "
            "insats utan att skickas mellan verksamheter.",
            indicator_ids=("U72552", "U79119", "N33820"),
        ),
        ActivityFields(
            title="SIP-samordnare för barn och unga",
            owner="Länets kommuner, socialtjänst",
            start_date=date(2024, 1, 15),
            end_date=None,
            status=ActivityStatus.PAGAR,
            description="Utbildade samordnare som kallar till SIP och följer upp att barnet "
            "och vårdnadshavarna är delaktiga.",
            indicator_ids=("RJL-SIP-DELAKTIGHET",),
        ),
    ],
    "psykiatri-och-missbruk": [
        ActivityFields(
            title="Samordnad utskrivning från psykiatrisk slutenvård",
            owner="Region Jönköpings län, psykiatri, och kommunernas socialpsykiatri",
            start_date=date(2023, 3, 1),
            end_date=None,
            status=ActivityStatus.PAGAR,
            description="Planering inför utskrivning startar vid inskrivning, med SIP "
            "inom sju dagar.",
            indicator_ids=("N20403", "N79533", "RJL-SIP-DELAKTIGHET"),
        ),
        ActivityFields(
            title="Suicidprevention i primärvården",
            owner="Region Jönköpings län, primärvården",
            start_date=date(2026, 2, 1),
            end_date=date(2027, 12, 31),
            status=ActivityStatus.PLANERAD,
            description="Strukturerad riskbedömning och uppföljning efter besök.",
            indicator_ids=("N61603", "N01452"),
        ),
    ],
    "aldre": [
        ActivityFields(
            title="Fast omsorgskontakt i hemtjänsten",
            owner="Länets kommuner, hemtjänst",
            start_date=date(2022, 1, 1),
            end_date=None,
            status=ActivityStatus.PAGAR,
            description="Varje person med hemtjänst erbjuds en fast omsorgskontakt som "
            "träffar personen regelbundet.",
            indicator_ids=("N21600", "N21497", "U21401"),
        ),
        ActivityFields(
            title="Fallprevention 65+",
            owner="Kommunernas hälso- och sjukvård tillsammans med vårdcentralerna",
            start_date=date(2021, 4, 1),
            end_date=date(2024, 12, 31),
            status=ActivityStatus.KLAR,
            description="Fallriskbedömning, träning och läkemedelsgenomgång för äldre i "
            "ordinärt boende.",
            indicator_ids=("U20462", "N20402"),
        ),
        ActivityFields(
            title="Digital tillsyn som förstahandsval",
            owner="Länets kommuner, välfärdsteknik",
            start_date=date(2023, 10, 1),
            end_date=None,
            status=ActivityStatus.PAUSAD,
            description="Pausad i väntan på gemensam upphandling av kameror.",
            indicator_ids=("U21340",),
        ),
    ],
}
