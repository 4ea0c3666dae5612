"""Small clean drafts over tests/guardrails/records.py, one per kind, for mutation in tests."""

from __future__ import annotations

__all__ = ["BRIEF", "PIR", "PIR_FACTS", "UPDATE", "UPDATE_FACTS"]

UPDATE = """# Incident update: Label API timeouts

## What we know

- Since 2026-08-20 09:40 UTC about 120 users see timeouts on label requests. [source: INC-2026-0820]
- We detected the issue at 2026-08-20 09:55 UTC. [source: INC-2026-0820]

## What we don't know yet

- The root cause is not confirmed yet. [source: INC-2026-0820]

## What we are doing

- Our engineering team is engaged and investigating. [source: INC-2026-0820]

## Workaround

No workaround is known yet. [source: INC-2026-0820]

## Next update

We will send the next update by 2026-08-20 15:00 UTC, or sooner if the situation changes. [source: plan:acme, INC-2026-0820]
"""
UPDATE_FACTS = {"as_of": "2026-08-20T11:00:00Z", "next_update_at": "2026-08-20T15:00:00Z", "status": "investigating"}

PIR = """# Post-incident review: Label API returning 504 in eu-west-1 (INC-2026-0412)

## Timeline

- 2026-04-12 08:52 UTC — Impact start: label creation started failing [source: INC-2026-0412]
- 2026-04-12 09:05 UTC — Detection: latency alert fired, on-call paged [source: slack:inc-acme-0412:1775984700.000100]
- 2026-04-12 09:20 UTC — Engagement: engineering engaged [source: INC-2026-0412]
- 2026-04-12 10:30 UTC — Pool limit raised on the gateway [source: slack:inc-acme-0412:1775989800.000200]
- 2026-04-12 11:10 UTC — Mitigation: impact mitigated [source: INC-2026-0412]
- 2026-04-12 13:45 UTC — Resolution: incident resolved [source: INC-2026-0412]

## Durations

- Time to detect: 13m
- Time to engage: 28m
- Time to mitigate: 2h 18m
- Time to resolve: 4h 53m

## Root cause

A connection pool limit was too low after the upgrade. [source: slack:inc-acme-0412:1775984700.000100]

## Contributing factors

- No alert on pool saturation [source: INC-2026-0412]

## Corrective actions

- CA-1: Raise the pool limit; owner Sam Okafor, due 2026-05-15, status done [source: INC-2026-0412]
"""
PIR_FACTS: dict = {}

BRIEF = """# Escalation brief: ZD-101 Label API timeouts

## Summary

Acme Logistics, ZD-101 (P2, open), opened 2026-08-20 10:00 UTC: Label API timeouts. [source: ZD-101]

## Impact

- About 120 users in eu-west-1 see timeouts since 2026-08-20 09:40 UTC; 35% of requests time out. [source: ZD-101, ZD-101-c2]

## Severity

- Current priority P2; recommended P2. [source: ZD-101]

## Environment

- Version: 5.2.1 in eu-west-1 [source: ZD-101]

## Reproduction

- Send label requests from eu-west-1 on v5.2.1 [source: ZD-101]
- Watch for timeouts around 2026-08-20 09:41 UTC [source: ZD-101]

## Evidence

- Request ID: `req_8f2a91c3` at 2026-08-20 09:41:07Z [source: ZD-101]

## Timeline

- 2026-08-20 10:00 UTC — Ticket opened as P2 [source: ZD-101]
- 2026-08-20 10:20 UTC — Sam Okafor: checking the gateway logs [source: ZD-101-c1]
- 2026-08-20 10:50 UTC — Dana Reyes: 35% of requests time out [source: ZD-101-c2]

## Hypotheses

- Unconfirmed: connection pool exhaustion on the label gateway [source: INC-2026-0820]

## Next steps

- Trace request req_8f2a91c3 in the gateway logs [source: ZD-101]

## Related

- Incident INC-2026-0820 (P2, investigating) [source: INC-2026-0820]

## Comms plan

- Update cadence for P2: every 4h 00m [source: plan:acme]
- Keep informed: Dana Reyes (dana.reyes@acme.example) [source: plan:acme]
"""
