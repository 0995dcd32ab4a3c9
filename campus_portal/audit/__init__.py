"""The security log: sign-ins, failures, role and MFA changes, permission denials.

Append-only and hash-chained: each entry commits to the previous one, so a modified or deleted
entry is detected by ``manage.py verify_audit_chain``. Write through ``services``; read through
``selectors``.
"""
