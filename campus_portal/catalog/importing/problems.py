"""What is wrong with an imported file, located by row and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class ImportProblem:
    row: int | None  # row number as a spreadsheet shows it (1 = first line of the file)
    column: str | None  # column header as written in the file, e.g. "网上办理深度"
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            where = _("Row %(row)s, column “%(column)s”") % {"row": self.row, "column": self.column}
        elif self.row:
            where = _("Row %(row)s") % {"row": self.row}
        elif self.column:
            where = _("Column “%(column)s”") % {"column": self.column}
        else:
            where = _("File")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "text": str(self)}


class ImportRejected(Exception):
    """The file cannot be imported; ``problems`` says why, one entry per problem."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
