"""A small jurisdiction for the supervision tests: a county 司法局 over two agencies, and one
agency of another county that the county's supervisor does not supervise."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from zhifa.accounts.models import Role
from zhifa.org.models import Agency, RegionLevel
from zhifa.testing.factories import AgencyFactory, RegionFactory, make_user


@dataclass
class Jurisdiction:
    bureau: Agency
    agency: Agency
    other: Agency
    outside: Agency
    supervisor: object
    head: object
    officer: object
    other_head: object
    outside_supervisor: object


@pytest.fixture
def jurisdiction(db) -> Jurisdiction:
    city = RegionFactory(level=RegionLevel.CITY)
    county = RegionFactory(parent=city)
    town = RegionFactory(parent=county, level=RegionLevel.TOWNSHIP)
    elsewhere = RegionFactory(parent=city)
    bureau = AgencyFactory(region=county, is_justice_bureau=True, name="测试县司法局")
    agency = AgencyFactory(region=county, name="测试县人力资源和社会保障局")
    other = AgencyFactory(region=town, name="测试镇人民政府")
    outside_bureau = AgencyFactory(region=elsewhere, is_justice_bureau=True, name="另一县司法局")
    outside = AgencyFactory(region=elsewhere, name="另一县市场监督管理局")
    return Jurisdiction(
        bureau=bureau,
        agency=agency,
        other=other,
        outside=outside,
        supervisor=make_user(Role.SUPERVISOR, agency=bureau, full_name="沈监督"),
        head=make_user(Role.HEAD, agency=agency, full_name="何局长"),
        officer=make_user(Role.OFFICER, agency=agency, full_name="王执法"),
        other_head=make_user(Role.HEAD, agency=other, full_name="赵镇长"),
        outside_supervisor=make_user(Role.SUPERVISOR, agency=outside_bureau, full_name="外县监督"),
    )


@pytest.fixture
def indicator_sets(db) -> None:
    """The 考核指标 sets as the data migrations leave them (2026-1, then 2026-2 current). A
    transactional test run before on the same worker empties every table, migration rows too, so
    they are loaded again by the migrations' own functions (each does nothing if its set is there)."""
    import importlib

    from django.apps import apps

    for name, load in (("0006_assessment", "load_default_set"), ("0009_assessment_set_2", "load_second_set")):
        getattr(importlib.import_module(f"zhifa.supervision.migrations.{name}"), load)(apps, None)
