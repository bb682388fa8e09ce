from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "zhifa.devices"
    label = "devices"
    verbose_name = "非现场执法"
