"""The learning catalogue: courses, resources, learning sites, sessions and enrolment, teams,
organisations, quality, citywide events and awards (issue 8)."""
