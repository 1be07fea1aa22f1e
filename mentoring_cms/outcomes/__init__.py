"""The programme's outcomes: the end-of-round evaluation, the promotion
outcomes of former mentees, and the statistics across rounds (issue 17)."""
