"""Engagement analytics: sessions, funnel and retention metrics, the report, experiments."""
