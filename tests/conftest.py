import numpy as np
import pytest

from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.experiment.experiment import Experiment


@pytest.fixture(scope="session")
def paper():
    """The paper's benchmark experiment."""
    return Experiment()


@pytest.fixture(scope="session")
def mm_fit(paper):
    """Magnetic-moment fit of the benchmark (precomputation shared by the tests)."""
    return MagneticMomentFit(paper, convention="one_sided")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
