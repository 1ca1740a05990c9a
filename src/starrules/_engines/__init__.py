"""Rule-engine backends.

``durable``: the durable_rules (Rete) backend behind ``evaluate(..., engine="durable")``.
:mod:`.plan` turns a CompiledStandard into a durable_rules ruleset definition and the
derived facts a branch asserts into it (pure Python, importable without durable_rules);
:mod:`.durable` owns the durable_rules host, the sessions and the locking.  See
docs/engines.md for what runs in Rete and what is computed by the shared compiler.
"""
