"""The plugin tooling: finding and asking jurisdiction plugins, their base class, hooks,
conformance checks, the scaffold of a new plugin."""
