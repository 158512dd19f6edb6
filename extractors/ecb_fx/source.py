"""The ECB reference-rate source, declared once: its connection, currencies, lookback, readiness and stream.

Connection ``ecb_fx``: host = the data API's base URL (``https://data-api.ecb.europa.eu`` in production), no
credentials (the API is public), extra = ``{"currencies": ["CNY", "USD", "HKD"]}``: the currencies quoted
against EUR, each one partition (the "account" of the other sources).
"""

from extractors.catalog import DATE, MONEY, TEXT, Accounts, Column, LoadStrategy, Readiness, Source, Stream

REFERENCE_RATES = Stream(
    name="reference_rates",
    description=(
        "Euro foreign exchange reference rates (dataflow EXR, series D.<currency>.EUR.SP00.A): one row per quoted "
        "currency and TARGET working day, units of the currency per 1 EUR. Weekends and TARGET holidays have no row."
    ),
    primary_key=("currency", "rate_date"),
    cursor_field="TIME_PERIOD",
    partition_column="rate_date",
    # The ECB corrects a published rate now and then; re-reading the lookback replaces those days.
    strategy=LoadStrategy.RESTATED_WINDOW,
    # No currency_column / activity_date_column: these rows are the rates themselves, not money to convert.
    columns=(
        Column("rate_date", DATE, "The day the reference rate was published for (TIME_PERIOD)."),
        Column("currency", TEXT, "The quoted currency (ISO 4217), the series' CURRENCY dimension."),
        Column("base_currency", TEXT, "The base currency, always EUR (the series' CURRENCY_DENOM dimension)."),
        # decimal(18,4): the ECB publishes these currencies with 4 decimals; a fifth would fail the raw gate
        # rather than be rounded away.
        Column("units_per_base", MONEY, "Units of the quoted currency per 1 unit of the base currency (EUR)."),
    ),
    reader="extractors.ecb_fx.client:read_reference_rates",
)

SOURCE = Source(
    name="ecb_fx",
    description="ECB data API (SDMX 2.1 REST): the euro foreign exchange reference rates, per quoted currency.",
    conn_id="ecb_fx",
    accounts=Accounts(extra_key="currencies"),
    # Five days re-read a long holiday weekend (Good Friday to Easter Monday) and pick up a rate published
    # late or corrected on the next working days.
    lookback_days=5,
    # Rates are published at 16:00 Frankfurt time on the day itself; readiness counts from the day's end, so
    # midnight Frankfurt time after the day is the first hour a day is surely published (with 8 hours to spare).
    readiness=Readiness(hour=0, timezone="Europe/Berlin"),
    streams=(REFERENCE_RATES,),
    client="extractors.ecb_fx.client:make_client",
)
