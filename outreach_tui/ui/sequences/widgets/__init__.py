"""The sequence editor's parts: the step list, the variant editor, the preview."""
