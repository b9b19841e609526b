"""The object store: content-addressed blobs through the MinIO SDK."""
