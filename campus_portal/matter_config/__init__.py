"""Configured matters (可配置事项): offices put a matter online in the admin, without code.

A configuration (form fields, warehouse data, steps, decision rule, result) is edited as a draft
and published as numbered, immutable versions; one generic handler (``handler.py``, key
``config.generic``) serves every configured matter through the ordinary plugin contract, each
application on the version it started on. See docs/matter-config.md.
"""
