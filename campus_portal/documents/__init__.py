"""Documents the platform issues as PDF: the service hall's notices now, certificates later.

``rendering`` turns a Django template into PDF bytes (WeasyPrint, CJK fonts embedded);
``notices`` knows which notices an application has; ``downloads`` builds the HTTP answer.
See docs/documents.md.
"""
