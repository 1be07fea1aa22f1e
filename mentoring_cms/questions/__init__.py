"""The application's questions: what is asked, in which step, and how an
answer is stored and shown (see ``core``)."""
