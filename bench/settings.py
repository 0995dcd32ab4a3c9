"""Settings for the throughput benchmark: the product's settings plus the baseline URL.

Everything else (middleware, page cache, database, persistent connections) is exactly what
``config.settings`` reads from the environment, so the baseline pays the same stack as the
product pages it is compared with.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
