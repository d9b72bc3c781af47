import os
import sys

import numpy as np
import pytest

from lxenu.analyses.magnetic_moment import MagneticMomentFit
from lxenu.cli import main
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


@pytest.fixture
def cli(capsys):
    """Run the command line in this process: ``code, out, err = cli("summary", "--json")``.

    The same ``main`` as ``python -m lxenu`` (one end-to-end subprocess test in test_cli.py
    checks that); an exception other than the handled ones would fail the test with its traceback.
    """

    def run(*argv):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as stop:  # argparse's own errors (an unknown flag, a word for a number)
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(autouse=True)
def _fresh_caches_in_mutmut_stats_run():
    """In mutmut's stats run (which records the tests that call each function), empty lxenu's
    ``lru_cache``s before every test. Otherwise a spectrum tabulated by one test is credited to that
    test alone, and the mutants of the code behind it run against too few tests to be killed."""
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        for name, module in list(sys.modules.items()):
            if name.startswith("lxenu"):
                for obj in list(vars(module).values()):
                    if callable(getattr(obj, "cache_clear", None)):
                        obj.cache_clear()
    yield
