from django.apps import AppConfig


class StudentLeaveConfig(AppConfig):
    """学生工作部: 学生请假 (counsellor, plus a head's approval for long leave)."""

    name = "plugins.student_leave"
    label = "student_leave"

    class PluginMeta:
        name = "学生请假"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.student_leave import handlers  # noqa: F401 (registers)
