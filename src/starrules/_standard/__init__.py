"""Standards: the file format (model), loading with located problems, layering, registry."""
