from django.apps import AppConfig


class ExpenseReimbursementConfig(AppConfig):
    """财务处: 日常费用报销 (the budget holder approves, then 财务审核)."""

    name = "plugins.expense_reimbursement"
    label = "expense_reimbursement"

    class PluginMeta:
        name = "日常费用报销"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.expense_reimbursement import handlers  # noqa: F401 (registers)
