from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class CalendarOverride(TimeStampedModel):
    """An administrator's correction of the official calendar for one day.

    Used for local adjustments and for years the chinesecalendar package does not know yet.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    reason = models.CharField("依据或说明", max_length=200)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}（{self.reason}）"


class JurisdictionSetting(TimeStampedModel):
    """A jurisdiction's value for a rule whose number the law or policy lets vary.

    The keys, defaults and their sources are declared in zhifa.core.jurisdiction; a row here
    overrides the default for this deployment.
    """

    key = models.CharField("参数", max_length=60, unique=True)
    value = models.CharField("取值", max_length=100)
    note = models.CharField("调整依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "本地参数"
        verbose_name_plural = "本地参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class NumberSequence(TimeStampedModel):
    """The last number handed out in one numbering scope and year (文号 and the like).

    Only zhifa.core.numbering.next_number writes these rows; it keeps every scope gap-free.
    """

    scope = models.CharField("编号范围", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        ordering = ["scope", "year"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="number_sequence_unique_scope_year"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.year}：{self.last}"
