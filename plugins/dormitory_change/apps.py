from django.apps import AppConfig


class DormitoryChangeConfig(AppConfig):
    """后勤保障处: 学生宿舍调换 (counsellor, then dormitory allocation)."""

    name = "plugins.dormitory_change"
    label = "dormitory_change"

    class PluginMeta:
        name = "学生宿舍调换"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.dormitory_change import handlers  # noqa: F401 (registers)
