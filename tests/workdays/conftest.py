import pytest

from campus_portal.workdays import calendar


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts and ends with an empty per-year cache (rolled-back rows linger in it)."""
    calendar.calendar_cache_clear(notify_other_processes=False)
    yield
    calendar.calendar_cache_clear(notify_other_processes=False)
