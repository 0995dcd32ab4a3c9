from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo plugin: one matter handler that uses the whole plugin contract (docs/plugins.md).

    Off by default: it is not in ``PLATFORM_PLUGINS``. Add
    ``plugins.demo.apps.DemoConfig`` to that setting to try it; it then registers its handler
    (bound to no matter until an administrator binds it) and listens to the office signals.
    The contract test (tests/plugins/test_contract.py) uses its handler and form.
    """

    name = "plugins.demo"
    label = "plugin_demo"

    class PluginMeta:
        name = "插件契约示例"
        version = "1.0"
        compatibility = ">=1.0,<2"
        author = "一站式校务服务平台"
        description = "Shows every part of the plugin contract; used by the contract test."

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from campus_portal.plugin_api import registry
        from plugins.demo.handlers import DemoHandler
        from plugins.demo.receivers import receivers_connect

        registry.register(DemoHandler)
        receivers_connect()
