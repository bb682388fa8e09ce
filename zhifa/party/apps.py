from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "zhifa.party"
    label = "party"
    verbose_name = "当事人页面"

    def ready(self) -> None:
        from zhifa.cases import party_access
        from zhifa.party import access, steps

        steps.register()
        party_access.install(access.document_block)
