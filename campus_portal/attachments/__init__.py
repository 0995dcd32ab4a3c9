"""Files applicants upload with an application (invoices, scans), kept private.

Start at ``services.py`` (checking and storing an upload), then ``views.py`` (the only way a
file leaves the server).
"""
