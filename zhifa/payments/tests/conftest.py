from zhifa.cases.tests.conftest import world  # noqa: F401  (the cases' small world)
