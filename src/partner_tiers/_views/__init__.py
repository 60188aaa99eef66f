"""What a dashboard shows, built on the engine: tables, points views, what-if scenarios,
program diffs, the HTML report and charts.
"""
