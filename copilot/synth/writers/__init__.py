"""Writers: one module per source format, turning the generator's specs into the files of a portfolio.

``portfolio.write_portfolio`` assigns ids and writes every file; the other modules each build the
documents of one format (account plans, Zendesk, Jira, CSV, Slack, incident records, runbooks).
"""

__all__: list[str] = []
