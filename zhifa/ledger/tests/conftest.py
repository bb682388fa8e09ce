import pytest

from zhifa.testing.signing import use_temp_dirs


@pytest.fixture(autouse=True)
def _ledger_dirs(settings, tmp_path):
    """Keys (the checkpoint key included) and files under the test's own directory."""
    use_temp_dirs(settings, tmp_path)
    settings.ZHIFA_LEDGER_ORIGIN = "zhifa.test/ledger"


# The cases' small world (an agency that can sign, certified handlers), for the wired-in tests.
from zhifa.cases.tests.conftest import world  # noqa: E402, F401
