from hypothesis import given
from hypothesis import strategies as st

from core.money import apply_rate, div_round_half_up, fen_to_yuan, percent_to_bp, split_fee, yuan_to_fen


def test_yuan_text_parses_to_exact_fen():
    assert yuan_to_fen("12.5") == 1250
    assert yuan_to_fen("0.01") == 1
    assert yuan_to_fen("199") == 19900
    assert fen_to_yuan(1250) == "12.50"
    assert percent_to_bp("12.5%") == 1250


def test_rounding_is_half_up_per_line():
    assert div_round_half_up(5, 10) == 1
    assert div_round_half_up(4, 10) == 0
    assert apply_rate(1005, 5000) == 503  # 502.5 → 503


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_fee_plus_net_always_equals_commission(gross, fee_bp):
    split = split_fee(gross, fee_bp)
    assert split.fee_fen + split.net_fen == gross
    assert 0 <= split.fee_fen <= gross


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_fen_round_trips_through_yuan_text(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen
