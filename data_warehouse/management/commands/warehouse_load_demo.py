"""``python manage.py warehouse_load_demo``: the synthetic demo campus (run by ``make run``)."""

from django.core.management.base import BaseCommand

from data_warehouse.demo_campus import demo_campus_load


class Command(BaseCommand):
    help = "Load a synthetic campus (5,000 students, 500 staff) into the warehouse, once."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=5000)
        parser.add_argument("--staff", type=int, default=500)

    def handle(self, *args, students: int, staff: int, **options):
        report = demo_campus_load(students=students, staff=staff)
        state = "created" if report.created else "already there"
        self.stdout.write(f"Demo campus {state}: {report.students} students, {report.staff} staff.")
