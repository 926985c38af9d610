"""FastAPI backend for Cloud Run with Cloud SQL for PostgreSQL."""
