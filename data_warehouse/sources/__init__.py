"""Feeds that fill the warehouse from the campus's systems of record.

Each source owns the rows it brings in and is idempotent: running it again against an unchanged
upstream writes nothing, so it can be scheduled or retried freely. ``ldap_sync`` reads the campus
directory (LDAP) for persons and org units.
"""
