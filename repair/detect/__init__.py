"""Rule stages: artifacts that need no model."""
