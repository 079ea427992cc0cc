"""Dates and money as the restaurant writes them: its timezone, its currency, its language's separators.

The page's words follow the reader's language (the switcher); the figures follow the restaurant's
language (``sinqro_platform.languages``), so a Madrid restaurant reads ``12,50 €`` and ``21:30`` whoever looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import formats, translation

from restaurants.models import Restaurant
from sinqro_platform.languages.lookup import restaurant_language

# Where the symbol goes and which symbol: enough for the currencies our channels use; others show the ISO code.
SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF", "PLN": "zł", "MXN": "$", "BRL": "R$"}
SYMBOL_FIRST = {"en"}  # "€12.50" in English, "12,50 €" in Spanish (and most of continental Europe)


@dataclass(frozen=True)
class RestaurantLocale:
    language: str
    timezone: ZoneInfo
    currency: str

    @classmethod
    def of(cls, restaurant: Restaurant) -> RestaurantLocale:
        return cls(restaurant_language(restaurant), ZoneInfo(restaurant.timezone), restaurant.currency)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.timezone)

    def money(self, amount: Decimal | None, currency: str | None = None) -> str:
        if amount is None:
            return "—"
        code = (currency or self.currency).upper()
        places = 3 if code in {"KWD", "BHD", "OMR", "JOD", "TND"} else 2
        with translation.override(self.language):
            number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
        symbol = SYMBOLS.get(code, code)
        if self.language.split("-")[0] in SYMBOL_FIRST:
            return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol} {number}"
        return f"{number}\u00a0{symbol}"

    def clock(self, moment: datetime | None) -> str:
        """21:30, in the restaurant's timezone."""
        return self.local(moment).strftime("%H:%M") if moment else ""

    def day(self, moment: datetime | None) -> str:
        """The day in words ("Tue 1 Dec", "mar 1 dic"): 01/12 and 12/01 read differently either side of the sea."""
        if moment is None:
            return ""
        with translation.override(self.language):
            return formats.date_format(self.local(moment), "D j M", use_l10n=True)

    def when(self, moment: datetime | None, today: datetime) -> str:
        """The clock for today's moments, the day and the clock for the others."""
        if moment is None:
            return ""
        if self.local(moment).date() == self.local(today).date():
            return self.clock(moment)
        return f"{self.day(moment)} {self.clock(moment)}"

    @property
    def zone_name(self) -> str:
        return self.timezone.key


