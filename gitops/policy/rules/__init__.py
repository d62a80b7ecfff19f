"""Policy rule modules; the registry lists them explicitly."""
