"""When a period's values are due: the catalogue's rule in words ("31 mars året efter") and
the date it gives for each period, and the moment "today" in Swedish time.

A rule is written the way a reminder is spoken, so an analyst can read and edit it in
katalog.toml:

- "31 mars året efter": that day and month in the year after the one the period ends in;
- "30 september samma år": that day and month in the year the period ends in;
- "60 dagar efter periodens slut": that many days after the period's last day.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from indicators.vocabulary.domain import PeriodType
from indicators.vocabulary.formatting import SWEDISH_MONTHS
from indicators.vocabulary.periods import period_end

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-zåäö]+)\s+(året efter|samma år)$")
_DAYS_AFTER = re.compile(r"^(\d{1,3})\s+dag(?:ar)?\s+efter\s+periodens\s+slut$")

EXAMPLES = '"31 mars året efter", "30 september samma år" eller "60 dagar efter periodens slut"'


def swedish_today(now: datetime | None = None) -> date:
    """Today's date in Sweden: a deadline passes at midnight in Stockholm, not in UTC."""
    moment = now if now is not None else datetime.now(UTC)
    return moment.astimezone(STOCKHOLM).date()


@dataclass(frozen=True)
class DueRule:
    """A parsed rule: either a day and month (`years_after` 0 or 1) or a number of days."""

    text: str
    day: int = 0
    month: int = 0
    years_after: int = 0
    days_after: int | None = None

    def due_date(self, period_type: PeriodType, start: date) -> date:
        """The last day on which the period's values count as on time."""
        end = period_end(period_type, start)
        if self.days_after is not None:
            return end + timedelta(days=self.days_after)
        year = end.year + self.years_after
        # 29 februari in a year without one is the last day of February.
        day = min(self.day, calendar.monthrange(year, self.month)[1])
        return date(year, self.month, day)


def parse_due_rule(text: str) -> DueRule:
    """The rule in `text`, or ValueError with a Swedish message naming the accepted forms."""
    words = " ".join(text.strip().casefold().split())
    if match := _DAY_MONTH.match(words):
        day, month_word, which = int(match[1]), match[2], match[3]
        if month_word not in SWEDISH_MONTHS:
            raise ValueError(f"okänd månad {month_word!r} i {text!r}; skriv t.ex. {EXAMPLES}")
        month = SWEDISH_MONTHS.index(month_word) + 1
        # A leap year's February has 29 days: the rule may name that day.
        if not 1 <= day <= calendar.monthrange(2024, month)[1]:
            raise ValueError(f"{month_word} har ingen dag {day} ({text!r})")
        return DueRule(words, day=day, month=month, years_after=1 if which == "året efter" else 0)
    if match := _DAYS_AFTER.match(words):
        return DueRule(words, days_after=int(match[1]))
    raise ValueError(f"okänd regel för sista inlämningsdag {text!r}; skriv t.ex. {EXAMPLES}")
