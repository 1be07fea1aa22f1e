"""The participation stage: personal links and pages, calendar feeds,
absences, meetings, and HR's running of the round (issue 16)."""
