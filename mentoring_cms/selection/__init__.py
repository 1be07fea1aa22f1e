"""Selection of a round's participants: nominations by faculty coordinators,
scored reviews by the selection committee, and HR's ranking (issue 14)."""
