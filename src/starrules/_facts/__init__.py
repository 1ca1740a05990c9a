"""Facts documents: read (YAML/JSON) and validate against a standard's declared fact schema."""
