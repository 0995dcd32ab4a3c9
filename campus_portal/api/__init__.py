"""The read-only REST API (``/api/v1/``) used by the phone front end, the kiosk and integrations."""
