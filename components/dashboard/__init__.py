"""The leaders' dashboard, in four parts: the filters (one View), the KPI tiles, the chart
sections (figures from db.dashboard, Vega-Lite specs from components.charts) and the brief."""
