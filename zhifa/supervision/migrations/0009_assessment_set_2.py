"""考核指标 version 2026-2: training hours, inspection completion and clue handling on time join the
indicators (zhifa.supervision.assessment_indicators.SECOND_INDICATORS), with a minimum coverage
for the ranking; it becomes the current set. Sets written before keep their meaning (no minimum)."""

from decimal import Decimal

from django.db import migrations, models


def load_second_set(apps, schema_editor):
    from zhifa.supervision.assessment_indicators import (
        DEFAULT_SOURCE,
        DEFAULT_TITLE,
        SECOND_INDICATORS,
        SECOND_MIN_COVERAGE,
        SECOND_VERSION,
        indicator_rows,
    )

    indicator_set_model = apps.get_model("supervision", "IndicatorSet")
    indicator_model = apps.get_model("supervision", "Indicator")
    # The sets written before this rule existed ranked every agency with data: they still do.
    indicator_set_model.objects.exclude(version=SECOND_VERSION).update(min_coverage=Decimal(0))
    made, created = indicator_set_model.objects.get_or_create(
        version=SECOND_VERSION,
        defaults={
            "title": DEFAULT_TITLE,
            "source": DEFAULT_SOURCE,
            "min_coverage": Decimal(SECOND_MIN_COVERAGE),
        },
    )
    if created:
        indicator_model.objects.bulk_create(indicator_rows(indicator_model, made, SECOND_INDICATORS))
    indicator_set_model.objects.exclude(pk=made.pk).update(is_current=False)
    indicator_set_model.objects.filter(pk=made.pk).update(is_current=True)


def unload_second_set(apps, schema_editor):
    from zhifa.supervision.assessment_indicators import DEFAULT_VERSION, SECOND_VERSION

    indicator_set_model = apps.get_model("supervision", "IndicatorSet")
    second = indicator_set_model.objects.filter(version=SECOND_VERSION).first()
    if second is not None:
        if apps.get_model("supervision", "Assessment").objects.filter(indicator_set=second).exists():
            raise RuntimeError(f"考核指标 {SECOND_VERSION} 已被年度考核使用，不能回退此迁移。")
        second.delete()
    indicator_set_model.objects.filter(version=DEFAULT_VERSION).update(is_current=True)


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0008_casefact_due_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorset",
            name="min_coverage",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("50"),
                help_text="有数据指标的分值合计占全部分值的比例低于此值的执法主体，列示得分但不参加排名；0 为不限。",
                max_digits=5,
                verbose_name="参加排名的最低指标覆盖（%）",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorset",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_coverage__gte", 0), ("min_coverage__lte", 100)),
                name="assessment_set_min_coverage_percent",
            ),
        ),
        migrations.RunPython(load_second_set, unload_second_set),
    ]
