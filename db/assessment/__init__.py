"""Residents' voice and community assessment (满意度与考核): ratings of confirmed needs, surveys
answered with printed one-time codes, residents' corrections to the directory, and the scorecard
per community that weighs them with the hours, needs, coverage and day care figures."""
