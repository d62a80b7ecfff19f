"""Policies: rules that say whether a well-formed manifest is fit to run."""
