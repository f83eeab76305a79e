"""Monitoring and evaluation: snapshots, indicators, surveys and weighting, reports, open data."""
