"""Money and rates from the sources' answers, exactly: Decimal, never float."""
import json
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affiliates.sources.values import (
    CN_TZ,
    ValueFormatError,
    bp_from_fraction,
    bp_from_percent,
    cn_time,
    cn_time_str,
    fen,
    from_ms,
    loads,
    to_ms,
    x100,
)
from core.money import fen_to_yuan


@given(st.integers(min_value=0, max_value=10**12))
def test_yuan_text_parses_back_to_the_same_fen(amount):
    assert fen(fen_to_yuan(amount)) == amount


@given(st.integers(min_value=0, max_value=10**10))
def test_json_number_written_from_fen_parses_back_exactly(amount):
    """JD sends money as JSON numbers; ``loads`` keeps them Decimal, so no cent is lost."""
    text = json.dumps({"price": amount / 100})
    assert fen(loads(text)["price"]) == amount


@given(st.integers(min_value=0, max_value=10_000))
def test_percent_and_fraction_texts_become_basis_points(bp):
    assert bp_from_percent(f"{bp // 100}.{bp % 100:02d}") == bp
    assert bp_from_fraction(f"{Decimal(bp) / 10_000}") == bp


@pytest.mark.parametrize("text, expected", [("12.5", 1250), ("12.50", 1250), ("0.01", 1), ("12", 1200),
                                            ("0.005", 1), ("0.004", 0), ("", 0), (None, 0)])
def test_fen_rounds_past_the_cent_half_up_and_reads_blank_as_zero(text, expected):
    assert fen(text) == expected


def test_a_float_is_refused_rather_than_trusted():
    with pytest.raises(ValueFormatError):
        fen(19.9)


@pytest.mark.parametrize("bad", ["abc", "1,000.00", "NaN", "Infinity"])
def test_text_that_is_not_a_number_is_refused(bad):
    with pytest.raises(ValueFormatError):
        fen(bad)


def test_scores_are_kept_in_hundredths():
    assert (x100("4.85"), x100("9.6"), x100(None)) == (485, 960, None)


def test_times_are_gmt_plus_8_both_ways():
    moment = datetime(2024, 5, 1, 4, 0, tzinfo=CN_TZ)
    assert cn_time_str(moment) == "2024-05-01 04:00:00"
    assert cn_time("2024-05-01 04:00:00") == moment
    assert from_ms(to_ms(moment)) == moment and to_ms(moment) == 1714507200000
    with pytest.raises(ValueError):
        cn_time_str(datetime(2024, 5, 1))
