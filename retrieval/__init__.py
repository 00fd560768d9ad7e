"""retrieval library."""
