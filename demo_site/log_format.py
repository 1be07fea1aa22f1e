"""Log formatting that keeps applicants' data out of the logs."""

import logging


class PersonalDataSafeFormatter(logging.Formatter):
    """A plain formatter that drops the values databases quote in errors.

    PostgreSQL explains a failed constraint with a ``DETAIL:`` line that
    repeats the offending values (``Key (email)=(kari@example.org) already
    exists``); those lines are left out of logged tracebacks. The messages
    themselves are the code's own and name no personal data.
    """

    def formatException(self, ei):
        text = super().formatException(ei)
        return "\n".join(
            line
            for line in text.splitlines()
            if not line.lstrip().startswith("DETAIL:")
        )
