"""What the catalog announces; apps above it listen (the catalog never calls them by name)."""

from django.dispatch import Signal

#: Sent at the end of an applied micro-power list import, inside its transaction, with
#: ``codes`` (every matter code of the list, new, changed or unchanged) and ``user`` (who
#: imported, or None). Receivers may write in the same transaction; an exception in one undoes
#: the whole import. The configured matters derive their starting configuration here.
power_list_applied = Signal()
