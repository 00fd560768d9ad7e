"""recsys library."""
