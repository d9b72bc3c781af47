"""The gallium anomaly with the correlated 71Ga cross-section uncertainty."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from lxenu.analyses.gallium import (
    CROSS_SECTION_EVALUATIONS,
    GALLIUM_RUNS,
    RUNS_2014,
    RUNS_BEST,
    averaged_survival,
    gallium_chi2_grid,
    gallium_fit,
)

S = np.linspace(0.0, 1.0, 401)
M = np.geomspace(0.1, 100.0, 200)


def test_best_alone_reproduces_the_published_fit():
    """Barinov et al., PRC 105 (2022) 065502: dm2 = 3.3 (+inf -2.3) eV^2, sin^2 2theta = 0.42 (+0.15 -0.17)."""
    f = gallium_fit(S, M, RUNS_BEST)
    assert 0.42 - 0.17 <= f["best_sin2_2theta"] <= 0.42 + 0.15
    assert f["best_dm2_eV2"] >= 3.3 - 2.3
    # with two ratios and two parameters the fit is exact
    assert f["chi2_min"] == pytest.approx(0.0, abs=1e-3)


def test_profiled_normalisation_is_the_numerical_minimum():
    sig = CROSS_SECTION_EVALUATIONS["bahcall1997"]
    for s, m in [(0.0, 1.0), (0.3, 2.0), (0.8, 20.0)]:
        preds = [float(averaged_survival(r, s, m)) for r in GALLIUM_RUNS]

        def chi2(xi, preds=preds):
            return sum(((r.ratio - (1 + xi) * p) / r.error) ** 2 for r, p in zip(GALLIUM_RUNS, preds)) + (xi / sig) ** 2

        ref = minimize_scalar(chi2, bounds=(-0.5, 0.5), method="bounded", options={"xatol": 1e-12}).fun
        got = float(gallium_chi2_grid(np.array([s]), np.array([m]), GALLIUM_RUNS, sig)[0, 0])
        assert got == pytest.approx(ref, rel=1e-8, abs=0)


def test_limits_of_the_cross_section_error():
    none = gallium_chi2_grid(S[:5], M[:3], GALLIUM_RUNS)
    np.testing.assert_allclose(gallium_chi2_grid(S[:5], M[:3], GALLIUM_RUNS, 0.0), none)
    # a free normalisation leaves only the inner/outer difference of BEST: (0.791 - 0.766)^2 / (2 * 0.05^2)
    free = gallium_fit(S, M, RUNS_BEST, xs_sigma=1e6)
    null = free["delta_chi2_no_oscillation"] + free["chi2_min"]
    assert null == pytest.approx((0.791 - 0.766) ** 2 / (2 * 0.05**2), rel=1e-6, abs=0)


def test_a_correlated_error_weakens_the_anomaly_monotonically():
    sig = [gallium_fit(S, M, GALLIUM_RUNS, xs_sigma=x)["delta_chi2_no_oscillation"] for x in (0.0, 0.02, 0.037, 0.1)]
    assert np.all(np.diff(sig) < 0)
    old = gallium_fit(S, M, RUNS_2014, xs_sigma="bahcall1997")
    assert old["delta_chi2_no_oscillation"] < gallium_fit(S, M, RUNS_2014)["delta_chi2_no_oscillation"]


def test_delta_chi2_field_and_mask_agree():
    f = gallium_fit(S, M, RUNS_2014, xs_sigma="bahcall1997")
    assert f["delta_chi2"].min() == 0.0
    np.testing.assert_array_equal(f["allowed"], f["delta_chi2"] <= f["threshold"])


def test_bad_cross_section_error():
    with pytest.raises(ValueError, match="xs_sigma"):
        gallium_chi2_grid(S[:2], M[:2], GALLIUM_RUNS, "haxton2099")
    with pytest.raises(ValueError, match="xs_sigma"):
        gallium_chi2_grid(S[:2], M[:2], GALLIUM_RUNS, -0.1)
