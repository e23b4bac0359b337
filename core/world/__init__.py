"""Sample worlds: the factory that builds a programme's sample records, used by the demo,
the generator, the plugin checks and the tests."""
