"""The one exception type users see: bad input, located in its file."""

from __future__ import annotations

__all__ = ["InputError", "InputErrors", "raise_all"]


class InputError(ValueError):
    """Bad input data, with the file, row and column where it was found.

    ``str(err)`` is one line: ``file: row R, column 'C': message``. ``row`` is the
    1-based line number in the file (the header is line 1), so a user can open the
    file at that line.
    """

    def __init__(self, message: str, *, file=None, row: int | None = None,
                 column: str | None = None):
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        head = self.file or "input"
        if where:
            head += ": " + ", ".join(where)
        return f"{head}: {self.message}"


class InputErrors(InputError):
    """Several :class:`InputError` found in one pass, reported together: ``str(err)`` is one
    line per problem, in the order found; one problem found on several rows of a file is one
    line naming the rows (``table3.csv: rows 12, 15, column 'quantity': ...``)."""

    def __init__(self, errors):
        self.errors = [e for err in errors for e in (err.errors if isinstance(err, InputErrors) else [err])]
        if not self.errors:
            raise ValueError("errors must not be empty")
        first = self.errors[0]
        super().__init__(first.message, file=first.file, row=first.row, column=first.column)

    def __str__(self) -> str:
        rows: dict = {}
        for e in self.errors:
            rows.setdefault((e.file, e.column, e.message), []).append(e.row)
        lines = []
        for (file, column, message), found in rows.items():
            numbers = [r for r in found if r is not None]
            if len(numbers) < 2:
                lines += [InputError.__str__(e) for e in self.errors
                          if (e.file, e.column, e.message) == (file, column, message)]
                continue
            where = [f"rows {', '.join(map(str, numbers))}"] + ([f"column '{column}'"] if column else [])
            lines.append(f"{file or 'input'}: {', '.join(where)}: {message}")
        return "\n".join(lines)


def raise_all(errors) -> None:
    """Raise the collected ``errors``: nothing when empty, the error itself when one."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
