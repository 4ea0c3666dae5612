"""The seeded synthetic portfolio generator (``generate-portfolio``, ``scripts/build_sample_data.py``).

Code, one concept per module (the entry point is ``generator.generate_portfolio``):

- ``world``: the product world (components, regions, releases, carriers, SLA per tier).
- ``specs``: the records built before writing (``AccountSpec``, ``TicketSpec``, ``IncidentSpec``,
  ``SynthSlackMessage``, ``SynthPortfolio``).
- ``story``: the story data's pydantic models and loader; ``stories/*.yaml`` is the data itself
  (ticket archetypes, incident scenarios, runbooks, phrases, staff, account vocabulary).
- ``people``, ``accounts``: our staff and random customer accounts.
- ``tickets``, ``incidents``, ``conversation``: ticket threads and scripted incidents.
- ``ids``: native ticket ids and ``[[ticket:KEY]]`` references.
- ``timestamps``, ``templating``, ``randomness``: small helpers shared by the modules above.
- ``writers/``: one module per source format, and ``write_portfolio``.

Every draw comes from the caller's ``random.Random`` in a fixed order, so the same seed always
gives byte-identical files; changing the order of draws or of entries in a story file changes
every generated portfolio (and ``data/sample``).
"""

__all__: list[str] = []
