"""``python manage.py dashboard_demo_history [--scale 0.01] [--replace]``: a year of demo
applications following the reference matters' volumes (see campus_portal.dashboard.demo)."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand

from campus_portal.dashboard.demo import demo_history_generate


class Command(BaseCommand):
    help = "Generate a year of demo applications, visits, ratings and rectifications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=float(os.environ.get("DEMO_HISTORY_SCALE", "0.01")),
            help="applications per unit of last year's volume (default 0.01, ~5,500)",
        )
        parser.add_argument("--replace", action="store_true", help="delete and regenerate")
        parser.add_argument("--seed", type=int, default=105)

    def handle(self, *args, scale: float, replace: bool, seed: int, **options):
        started = time.perf_counter()
        made = demo_history_generate(scale=scale, replace=replace, seed=seed)
        if made:
            self.stdout.write(
                f"Demo history: {made} applications in {time.perf_counter() - started:.1f}s."
            )
        else:
            self.stdout.write("Demo history exists already (--replace to regenerate).")
