from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        from zhifa.cases import review_gate
        from zhifa.ledger.registry import register
        from zhifa.review import subjects
        from zhifa.review.gate import clearance

        review_gate.install(clearance)
        register(subjects.KIND, subjects.payloads, existing=subjects.existing)
