"""Ingestion of catalogs, behaviour events and orders into the database, and export back out."""
