"""The sequence editor: steps, variants, merge-tag checks, the preview per lead."""
