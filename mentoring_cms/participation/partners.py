"""Who a participant's partner is.

Pairs are made by the matching stage (issue 15), which is not part of this
code yet: until it is, nobody has a partner, and the personal page says the
partner will be shown once pairs are made. Wiring matching in means changing
this one function.
"""


def partner_of(application):
    """The accepted application paired with ``application`` (mentor for a
    mentee, mentee for a mentor), or ``None`` while no pair is made."""
    return None
